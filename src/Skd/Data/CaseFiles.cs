namespace Skd.Data;

/// <summary>How a case's files hold its image and label.</summary>
public enum CaseStorage
{
    /// <summary>2-D image files (one per channel) and a 2-D label image.</summary>
    Image2D,
    /// <summary>NIfTI volumes (one per channel) and a NIfTI label volume.</summary>
    Volume,
    /// <summary>One .npz with arrays "image" and "label" (a TransUNet Synapse training slice).</summary>
    Npz,
    /// <summary>One HDF5 file with datasets "image" and "label" (a TransUNet Synapse test volume).</summary>
    Hdf5,
}

/// <summary>
/// One case of a dataset: its id, the files of its input channels, and its label file (null when
/// the dataset has no label for it). For Npz and Hdf5 storage, image and label share one file.
/// </summary>
public sealed record CaseFiles(string Id, IReadOnlyList<string> Images, string? Label, CaseStorage Storage)
{
    /// <summary>Whether the case is a volume (NIfTI or HDF5 storage) rather than a 2-D image.</summary>
    public bool IsVolume => Storage is CaseStorage.Volume or CaseStorage.Hdf5;
}
