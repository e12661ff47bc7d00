package dev.sparsecf.models.ease;

import java.math.BigDecimal;

/** How EASE's L2 penalty lambda is printed. */
public final class Lambdas {

    private Lambdas() {
    }

    /** A lambda as short as it is exact (100, 12.5, 6.25), as every log line and report prints it. */
    public static String format(double lambda) {
        return Double.isFinite(lambda) ? BigDecimal.valueOf(lambda).stripTrailingZeros().toPlainString()
                : Double.toString(lambda);
    }
}
