namespace Skd.Torch;

/// <summary>
/// Marks a C# enum whose codes cross the C ABI: <see cref="Table"/> names its X-macro list in
/// native/skd_tables.h, the one source of the codes; NativeTableTests checks that the enum has the
/// list's names in the list's order (code = position).
/// </summary>
[AttributeUsage(AttributeTargets.Enum)]
internal sealed class NativeTableAttribute(string table) : Attribute
{
    public string Table { get; } = table;
}

/// <summary>skd_error_kind: what the last failed native call left, classified by the shim where it caught the exception.</summary>
[NativeTable("SKD_ERROR_KINDS")]
internal enum NativeErrorKind { None, Generic, Shape, Dtype, Index, OutOfMemory }

/// <summary>skd_factory_kind: what skd_factory and skd_like fill a new tensor with.</summary>
[NativeTable("SKD_FACTORY_KINDS")]
internal enum FactoryKind { Empty, Zeros, Ones, Full, Rand, Randn, RandInt }

/// <summary>skd_init_kind: how skd_init_ fills a tensor in place.</summary>
[NativeTable("SKD_INIT_KINDS")]
internal enum InitKind { Uniform, Normal, Fill }
