namespace Skd.Inference;

/// <summary>
/// nnU-Net's "remove all but the largest connected component" post-processing, per class: for every
/// class asked for, its connected components in the label map are found with face connectivity
/// (scipy.ndimage.label's default structure: 4 neighbours in a 2-D map, 6 in a volume, the
/// connectivity nnU-Net v1's remove_all_but_the_largest_connected_component used; v2's acvl_utils
/// labels with skimage's full connectivity instead), and every component smaller than the class's
/// largest becomes background (0). Components tied for the largest size are all kept, as in both
/// nnU-Net versions. Volumes are filtered as volumes: a component may span slices.
/// </summary>
public static class LargestComponent
{
    /// <summary>
    /// The label map (D, H, W) (D = 1 for a 2-D case) of any integer type with, for each class in
    /// <paramref name="classes"/>, only its largest components left; the other classes untouched.
    /// </summary>
    public static Tensor Keep(Tensor labels, IEnumerable<int> classes)
    {
        if (labels.Dim != 3 || labels.DType.IsFloatingPoint())
            throw new ArgumentException($"the largest-component filter takes an integer label map (D, H, W), got {labels.DType} [{string.Join(", ", labels.Shape)}]");
        var chosen = classes.ToHashSet();
        using var scope = new DisposeScope();
        int[] values = labels.Cpu().To(DType.Int32).Contiguous().ToArray<int>();
        var (component, sizes) = Components(values, chosen, (int)labels.Size(1), (int)labels.Size(2));
        var largest = new Dictionary<int, int>();
        for (int i = 0; i < values.Length; i++)
            if (component[i] > 0) largest[values[i]] = Math.Max(largest.GetValueOrDefault(values[i]), sizes[component[i]]);
        for (int i = 0; i < values.Length; i++)
            if (component[i] > 0 && sizes[component[i]] < largest[values[i]]) values[i] = 0;
        return scope.MoveToOuter(Tensor.From(values, labels.Shape).To(labels.DType).To(labels.Device));
    }

    /// <summary>
    /// Each voxel of a chosen class numbered by its face-connected component (1, 2, … in order of the
    /// component's first voxel, row-major; 0 for the voxels of other classes), and each component's voxel count.
    /// </summary>
    private static (int[] Component, List<int> Sizes) Components(int[] values, HashSet<int> chosen, int height, int width)
    {
        var component = new int[values.Length];
        var sizes = new List<int> { 0 };
        int plane = height * width;
        var pending = new Stack<int>();
        int id = 0, value = 0;   // the component being filled, and its class
        for (int start = 0; start < values.Length; start++)
        {
            if (component[start] != 0 || !chosen.Contains(values[start])) continue;
            (id, value) = (sizes.Count, values[start]);
            int size = 0;
            component[start] = id;
            pending.Push(start);
            while (pending.TryPop(out int i))
            {
                size++;
                int x = i % width, y = i / width % height;
                if (x > 0) Visit(i - 1);
                if (x < width - 1) Visit(i + 1);
                if (y > 0) Visit(i - width);
                if (y < height - 1) Visit(i + width);
                if (i >= plane) Visit(i - plane);
                if (i + plane < values.Length) Visit(i + plane);
            }
            sizes.Add(size);
        }
        return (component, sizes);

        void Visit(int j)
        {
            if (component[j] != 0 || values[j] != value) return;
            component[j] = id;
            pending.Push(j);
        }
    }
}
