package dev.sentinel.domain.testing;

import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Property checks over seeded random inputs. The seed is fixed so that a build never flakes;
 * {@code -Dsentinel.test.seed=N} explores other inputs, and every failure names its input and
 * the seed that reproduces it.
 */
public final class RandomCases {

    private static final long DEFAULT_SEED = 0x5e47_1e1L;

    private RandomCases() {
    }

    /**
     * Checks a property for {@code cases} generated inputs.
     *
     * @param cases how many inputs
     * @param generator makes one input from the random source
     * @param property throws {@link AssertionError} when it does not hold
     * @param <T> the input type
     */
    public static <T> void forAll(int cases, Function<SplittableRandom, T> generator,
            Consumer<T> property) {
        long seed = Long.getLong("sentinel.test.seed", DEFAULT_SEED);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < cases; i++) {
            T input = generator.apply(random);
            try {
                property.accept(input);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("property failed for input <" + describe(input)
                        + "> (case " + i + ", -Dsentinel.test.seed=" + seed + ")", e);
            }
        }
    }

    /** Returns random bytes. */
    public static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static String describe(Object input) {
        if (input instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        return String.valueOf(input);
    }
}
