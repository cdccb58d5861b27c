namespace Research.Rl.Rendering;

/// <summary>Places shapes given in a local frame: rotated by an angle (pygame's <c>Vector2.rotate_rad</c>), then shifted.</summary>
public readonly record struct Placement(double Angle, double OffsetX, double OffsetY)
{
    /// <summary>The local point (x, y) in canvas coordinates.</summary>
    public (double X, double Y) Apply(double x, double y)
    {
        var (sin, cos) = Math.SinCos(Angle);
        return (x * cos - y * sin + OffsetX, x * sin + y * cos + OffsetY);
    }

    /// <summary>The axis-aligned local rectangle [left, right] × [bottom, top] as four placed corners.</summary>
    public void Rectangle(double left, double right, double bottom, double top, Span<(double X, double Y)> corners)
    {
        corners[0] = Apply(left, bottom);
        corners[1] = Apply(left, top);
        corners[2] = Apply(right, top);
        corners[3] = Apply(right, bottom);
    }
}
