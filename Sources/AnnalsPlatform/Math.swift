#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The C library's mathematical functions that the standard library lacks. Results are the C
/// library's to the bit, which output generated from a seed relies on to stay the same.
public enum Math {
    /// ln(1 + `x`), accurate for `x` near zero. The corresponding C function is `log1p`.
    @inlinable
    public static func logOnePlus(_ x: Double) -> Double { log1p(x) }

    /// `base` raised to the power `exponent`. The corresponding C function is `pow`.
    @inlinable
    public static func power(_ base: Double, _ exponent: Double) -> Double { pow(base, exponent) }
}
