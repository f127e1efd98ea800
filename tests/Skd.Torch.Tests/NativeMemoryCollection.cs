namespace Skd.Torch.Tests;

/// <summary>
/// Tests that count the process's live native tensors or its resident memory: they run alone,
/// since every other test allocates tensors from parallel threads.
/// </summary>
[CollectionDefinition("native memory", DisableParallelization = true)]
public class NativeMemoryCollection;
