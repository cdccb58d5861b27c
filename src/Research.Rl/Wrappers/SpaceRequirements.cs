using Research.Abstractions.Spaces;

namespace Research.Rl.Wrappers;

/// <summary>Checks that a wrapper is applied to a space it supports, failing with the wrapper, the space and what was expected.</summary>
internal static class SpaceRequirements
{
    /// <summary>Returns <paramref name="space"/> as a Box (with finite bounds when <paramref name="bounded"/>), or throws.</summary>
    public static Box RequireBox(Space space, string wrapper, string role, bool bounded = false)
    {
        if (space is Box box && (!bounded || box.IsBounded)) return box;
        string expected = bounded ? "a Box with finite bounds" : "a Box";
        throw new ArgumentException($"{wrapper}: {role} space {space} is not supported; expected {expected}.");
    }
}
