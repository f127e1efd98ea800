/*
 * skd_tables.h: every code that crosses the C ABI as an int32 (operations, kinds, modes, error
 * kinds), one X-macro list per table, in code order (the first entry is 0). skd_native.h makes
 * the C enums from them; the C# enums of src/Skd.Torch that carry the same codes name their
 * table ([NativeTable("SKD_UNARY_OPS")]) and a test (NativeTableTests) fails when a C# enum and
 * its list here differ in any name or position. Add an entry here and in the C# enum together.
 */
#ifndef SKD_TABLES_H
#define SKD_TABLES_H

/* What a failed call left (skd_last_error_kind), classified where the exception was caught. */
#define SKD_ERROR_KINDS(X) X(None) X(Generic) X(Shape) X(Dtype) X(Index) X(OutOfMemory)

/* skd_factory (all) and skd_like (all but RandInt). */
#define SKD_FACTORY_KINDS(X) X(Empty) X(Zeros) X(Ones) X(Full) X(Rand) X(Randn) X(RandInt)

/* skd_init_: uniform(a, b), normal(mean a, std b), fill(a). */
#define SKD_INIT_KINDS(X) X(Uniform) X(Normal) X(Fill)

#define SKD_UNARY_OPS(X)                                                                        \
  X(Neg) X(Abs) X(Exp) X(Log) X(Sqrt) X(Rsqrt) X(Sigmoid) X(Tanh) X(Relu) X(Sign) X(Floor)      \
  X(Ceil) X(Round) X(Log1p) X(Expm1) X(Sin) X(Cos) X(LogicalNot) X(IsNan) X(IsInf) X(IsFinite) \
  X(Reciprocal) X(Square) X(Erf) X(Softplus) X(Zero) X(Log2) X(Trunc)

#define SKD_BINARY_OPS(X)                                                                       \
  X(Add) X(Sub) X(Mul) X(Div) X(Pow) X(Maximum) X(Minimum) X(Eq) X(Ne) X(Lt) X(Le) X(Gt) X(Ge) \
  X(LogicalAnd) X(LogicalOr) X(LogicalXor) X(Remainder) X(FloorDivide) X(Atan2) X(RSub) X(Copy)

#define SKD_REDUCE_OPS(X) \
  X(Sum) X(Mean) X(Prod) X(Amax) X(Amin) X(Any) X(All) X(Std) X(Var) X(LogSumExp) X(NanSum)

/* The reduction of a loss. */
#define SKD_REDUCTIONS(X) X(None) X(Mean) X(Sum)

/* skd_interpolate. */
#define SKD_INTERPOLATION_MODES(X) X(Nearest) X(Bilinear) X(Bicubic)

/* skd_grid_sample: libtorch's own codes for grid_sampler's interpolation and padding. */
#define SKD_GRID_SAMPLE_MODES(X) X(Bilinear) X(Nearest) X(Bicubic)
#define SKD_GRID_SAMPLE_PADDINGS(X) X(Zeros) X(Border) X(Reflection)

/* skd_pad. */
#define SKD_PADDING_MODES(X) X(Constant) X(Reflect) X(Replicate)

/* skd_contiguous_format, skd_is_contiguous_format: row-major N,C,H,W, or channels innermost (N,H,W,C). */
#define SKD_MEMORY_FORMATS(X) X(Contiguous) X(ChannelsLast)

#endif
