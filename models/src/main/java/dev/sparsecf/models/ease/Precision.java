package dev.sparsecf.models.ease;

/** Precision of EASE's factorisation and inverse; the Gram counts are exact either way and B is always float32. */
public enum Precision {
    /** potrf + potri in double: the reference (Steck's numpy code inverts in float64). */
    FLOAT64,
    /**
     * spotrf + spotri in float32 on OpenBLAS only: about twice the flop rate and a lower memory peak; the
     * inverse carries about {@code n u kappa} relative error with {@code u = 2^-24} (see README for the
     * measured effect on ranking metrics).
     */
    FLOAT32
}
