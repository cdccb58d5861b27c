using System.Runtime.InteropServices;

namespace Research.Plugins.Box2D.Physics;

/// <summary>Box2D's body types.</summary>
public enum BodyType
{
    /// <summary>Never moves (terrain, track tiles).</summary>
    Static = 0,

    /// <summary>Moves only as its velocity says.</summary>
    Kinematic = 1,

    /// <summary>Moved by forces, contacts and joints.</summary>
    Dynamic = 2,
}

/// <summary>A body of one <see cref="World"/>, by its index in creation order.</summary>
public readonly record struct BodyId(int Value);

/// <summary>A revolute joint of one <see cref="World"/>, by its index in creation order.</summary>
public readonly record struct JointId(int Value);

/// <summary>Box2D's <c>b2FixtureDef</c> without the shape, with pybox2d's defaults (friction 0.2, category 1, mask 0xFFFF).</summary>
[StructLayout(LayoutKind.Sequential)]
public struct FixtureDef
{
    /// <summary>Mass per area (0 for static bodies).</summary>
    public float Density;

    /// <summary>Coulomb friction coefficient.</summary>
    public float Friction;

    /// <summary>Bounciness.</summary>
    public float Restitution;

    /// <summary>The collision category bits of this fixture.</summary>
    public int CategoryBits;

    /// <summary>The categories this fixture collides with.</summary>
    public int MaskBits;

    /// <summary>Box2D's collision group index.</summary>
    public int GroupIndex;

    /// <summary>Non-zero: a sensor (reports contacts, never collides).</summary>
    public int IsSensor;

    /// <summary>Box2D's defaults: density 0, friction 0.2, restitution 0, category 1, mask 0xFFFF, group 0, not a sensor.</summary>
    public static FixtureDef Default => new() { Friction = 0.2f, CategoryBits = 0x0001, MaskBits = 0xFFFF };
}

/// <summary>A body's pose and motion as Box2D holds them (single precision).</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct BodyState
{
    /// <summary>Origin x (pybox2d's <c>body.position[0]</c>).</summary>
    public readonly float X;

    /// <summary>Origin y.</summary>
    public readonly float Y;

    /// <summary>Angle in radians (<c>body.angle</c>).</summary>
    public readonly float Angle;

    /// <summary>Linear velocity x of the centre of mass (<c>body.linearVelocity</c>).</summary>
    public readonly float VelocityX;

    /// <summary>Linear velocity y.</summary>
    public readonly float VelocityY;

    /// <summary>Angular velocity (<c>body.angularVelocity</c>).</summary>
    public readonly float AngularVelocity;

    /// <summary>Sine of the transform's rotation, as Box2D stores it.</summary>
    public readonly float Sin;

    /// <summary>Cosine of the transform's rotation.</summary>
    public readonly float Cos;

    private readonly int _awake;

    /// <summary>False once Box2D has put the body to sleep (<c>body.awake</c>).</summary>
    public bool Awake => _awake != 0;

    /// <summary>A body-local direction in world coordinates, in Box2D's float arithmetic (<c>body.GetWorldVector</c>).</summary>
    public (float X, float Y) WorldVector(float x, float y) => (Cos * x - Sin * y, Sin * x + Cos * y);

    /// <summary>A body-local point in world coordinates (<c>body.transform * v</c>).</summary>
    public (float X, float Y) WorldPoint(float x, float y) => (Cos * x - Sin * y + X, Sin * x + Cos * y + Y);
}

/// <summary>Box2D's <c>b2RevoluteJointDef</c>: anchors in each body's frame, an optional limit and an optional motor.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct RevoluteJointDef
{
    /// <summary>The first body.</summary>
    public BodyId BodyA;

    /// <summary>The second body.</summary>
    public BodyId BodyB;

    /// <summary>Anchor in body A's frame, x.</summary>
    public float AnchorAX;

    /// <summary>Anchor in body A's frame, y.</summary>
    public float AnchorAY;

    /// <summary>Anchor in body B's frame, x.</summary>
    public float AnchorBX;

    /// <summary>Anchor in body B's frame, y.</summary>
    public float AnchorBY;

    /// <summary>Body B's angle minus body A's when the joint angle is zero (pybox2d leaves it 0 when anchors are given).</summary>
    public float ReferenceAngle;

    /// <summary>Non-zero: the joint angle is limited to [lower, upper].</summary>
    public int EnableLimit;

    /// <summary>Lower limit in radians.</summary>
    public float LowerAngle;

    /// <summary>Upper limit in radians.</summary>
    public float UpperAngle;

    /// <summary>Non-zero: the motor drives the joint.</summary>
    public int EnableMotor;

    /// <summary>Target speed of the motor in rad/s.</summary>
    public float MotorSpeed;

    /// <summary>The most torque the motor may apply.</summary>
    public float MaxMotorTorque;

    /// <summary>Non-zero: the two bodies still collide with each other.</summary>
    public int CollideConnected;
}

/// <summary>One BeginContact or EndContact callback of the last step, in Box2D's order.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct ContactEvent
{
    private readonly int _begin;

    /// <summary>The body of fixture A.</summary>
    public readonly BodyId BodyA;

    /// <summary>Fixture A's index within its body (creation order).</summary>
    public readonly int FixtureA;

    /// <summary>The body of fixture B.</summary>
    public readonly BodyId BodyB;

    /// <summary>Fixture B's index within its body.</summary>
    public readonly int FixtureB;

    /// <summary>True for BeginContact, false for EndContact.</summary>
    public bool Begin => _begin != 0;

    /// <summary>True when either side is <paramref name="body"/>.</summary>
    public bool Involves(BodyId body) => BodyA == body || BodyB == body;
}

/// <summary>The nearest fixture a ray met.</summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct RayHit
{
    /// <summary>Where along the ray, from 0 (start) to 1 (end).</summary>
    public readonly float Fraction;

    /// <summary>The hit point, x.</summary>
    public readonly float X;

    /// <summary>The hit point, y.</summary>
    public readonly float Y;

    /// <summary>The surface normal, x.</summary>
    public readonly float NormalX;

    /// <summary>The surface normal, y.</summary>
    public readonly float NormalY;

    /// <summary>The body hit.</summary>
    public readonly BodyId Body;

    /// <summary>The fixture hit, by its index within the body.</summary>
    public readonly int Fixture;
}
