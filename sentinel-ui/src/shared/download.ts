/** Hands a downloaded body to the browser as a file, then frees it. */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** A file name with the time of the export: `sentinel-intercepts-20250101-120000.csv`. */
export function exportFileName(prefix: string, at: Date, extension: string): string {
  const pad = (value: number) => String(value).padStart(2, '0')
  const stamp =
    `${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-` +
    `${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}`
  return `${prefix}-${stamp}.${extension}`
}
