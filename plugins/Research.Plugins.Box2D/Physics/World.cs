namespace Research.Plugins.Box2D.Physics;

/// <summary>A Box2D world behind the native shim: bodies, fixtures, revolute joints, stepping, contact events and ray casts.</summary>
/// <remarks>
/// The one typed layer over <see cref="NativeMethods"/>: ids instead of pointers, spans instead of arrays, and every
/// refusal of the shim as a <see cref="Box2DException"/> naming the call. Values cross in single precision, as Box2D
/// stores them. Not thread-safe (neither is Box2D); no call allocates managed memory.
/// </remarks>
public sealed unsafe class World : IDisposable
{
    private nint _handle;

    /// <summary>Creates an empty world with the given gravity; bodies may fall asleep unless <paramref name="allowSleep"/> is false.</summary>
    public World(float gravityX, float gravityY, bool allowSleep = true)
    {
        Box2DLibrary.EnsureAvailable();
        _handle = NativeMethods.rb2_world_create(gravityX, gravityY, allowSleep ? 1 : 0);
        if (_handle == 0) throw new Box2DException($"Box2D: cannot create a world with gravity ({gravityX}, {gravityY}); expected finite values.");
    }

    /// <summary>Releases the native world if <see cref="Dispose"/> was not called.</summary>
    ~World() => Release();

    /// <summary>Adds a body at (x, y) turned by <paramref name="angle"/>.</summary>
    public BodyId CreateBody(BodyType type, float x, float y, float angle = 0) =>
        new(Check(NativeMethods.rb2_body_create(Handle, (int)type, x, y, angle), "CreateBody"));

    /// <summary>Removes a body with its fixtures and joints.</summary>
    public void DestroyBody(BodyId body) => Check(NativeMethods.rb2_body_destroy(Handle, body.Value), "DestroyBody");

    /// <summary>Adds a convex polygon of 3–8 vertices (x0, y0, x1, y1, …; Box2D keeps their convex hull); returns its index in the body.</summary>
    public int AddPolygon(BodyId body, ReadOnlySpan<float> xy, in FixtureDef def)
    {
        if (xy.Length % 2 != 0) throw new ArgumentException($"Box2D AddPolygon: {xy.Length} coordinates is not a whole number of (x, y) vertices.", nameof(xy));
        fixed (float* vertices = xy)
        fixed (FixtureDef* d = &def)
            return Check(NativeMethods.rb2_body_add_polygon(Handle, body.Value, vertices, xy.Length / 2, d), "AddPolygon");
    }

    /// <summary>Adds a box of half-extents (hx, hy) centred on the body's origin (<c>polygonShape(box=(hx, hy))</c>).</summary>
    public int AddBox(BodyId body, float halfWidth, float halfHeight, in FixtureDef def)
    {
        fixed (FixtureDef* d = &def) return Check(NativeMethods.rb2_body_add_box(Handle, body.Value, halfWidth, halfHeight, d), "AddBox");
    }

    /// <summary>Adds a two-sided edge from (x1, y1) to (x2, y2).</summary>
    public int AddEdge(BodyId body, float x1, float y1, float x2, float y2, in FixtureDef def)
    {
        fixed (FixtureDef* d = &def) return Check(NativeMethods.rb2_body_add_edge(Handle, body.Value, x1, y1, x2, y2, d), "AddEdge");
    }

    /// <summary>Adds a circle of <paramref name="radius"/> centred at (x, y) in the body's frame.</summary>
    public int AddCircle(BodyId body, float x, float y, float radius, in FixtureDef def)
    {
        fixed (FixtureDef* d = &def) return Check(NativeMethods.rb2_body_add_circle(Handle, body.Value, x, y, radius, d), "AddCircle");
    }

    /// <summary>Makes a fixture a sensor (its contacts are reported, never solved) or a solid one again.</summary>
    public void SetSensor(BodyId body, int fixture, bool isSensor) =>
        Check(NativeMethods.rb2_fixture_set_sensor(Handle, body.Value, fixture, isSensor ? 1 : 0), "SetSensor");

    /// <summary>The body's pose, velocities and sleep state.</summary>
    public BodyState GetState(BodyId body)
    {
        BodyState state;
        Check(NativeMethods.rb2_body_get_state(Handle, body.Value, &state), "GetState");
        return state;
    }

    /// <summary>Moves the body's origin to (x, y) with the given angle.</summary>
    public void SetTransform(BodyId body, float x, float y, float angle) =>
        Check(NativeMethods.rb2_body_set_transform(Handle, body.Value, x, y, angle), "SetTransform");

    /// <summary>Sets the linear and angular velocity.</summary>
    public void SetVelocity(BodyId body, float vx, float vy, float omega) =>
        Check(NativeMethods.rb2_body_set_velocity(Handle, body.Value, vx, vy, omega), "SetVelocity");

    /// <summary>Wakes the body or puts it to sleep.</summary>
    public void SetAwake(BodyId body, bool awake) => Check(NativeMethods.rb2_body_set_awake(Handle, body.Value, awake ? 1 : 0), "SetAwake");

    /// <summary>Adds a force at the centre of mass for the next step.</summary>
    public void ApplyForceToCenter(BodyId body, float fx, float fy, bool wake = true) =>
        Check(NativeMethods.rb2_body_apply_force_to_center(Handle, body.Value, fx, fy, wake ? 1 : 0), "ApplyForceToCenter");

    /// <summary>Applies an impulse at a world point, changing the velocities at once.</summary>
    public void ApplyLinearImpulse(BodyId body, float ix, float iy, float px, float py, bool wake = true) =>
        Check(NativeMethods.rb2_body_apply_linear_impulse(Handle, body.Value, ix, iy, px, py, wake ? 1 : 0), "ApplyLinearImpulse");

    /// <summary>Adds a torque for the next step.</summary>
    public void ApplyTorque(BodyId body, float torque, bool wake = true) =>
        Check(NativeMethods.rb2_body_apply_torque(Handle, body.Value, torque, wake ? 1 : 0), "ApplyTorque");

    /// <summary>Joins two bodies with a revolute joint.</summary>
    public JointId CreateRevoluteJoint(in RevoluteJointDef def)
    {
        fixed (RevoluteJointDef* d = &def) return new(Check(NativeMethods.rb2_revolute_create(Handle, d), "CreateRevoluteJoint"));
    }

    /// <summary>Sets the motor's target speed (Box2D wakes both bodies when it changes).</summary>
    public void SetMotorSpeed(JointId joint, float speed) =>
        Check(NativeMethods.rb2_revolute_set_motor_speed(Handle, joint.Value, speed), "SetMotorSpeed");

    /// <summary>Sets the most torque the motor may apply.</summary>
    public void SetMaxMotorTorque(JointId joint, float torque) =>
        Check(NativeMethods.rb2_revolute_set_max_motor_torque(Handle, joint.Value, torque), "SetMaxMotorTorque");

    /// <summary>The joint's angle (B's angle − A's − the reference angle) and speed (ωB − ωA).</summary>
    public (float Angle, float Speed) GetJointState(JointId joint)
    {
        float angle, speed;
        Check(NativeMethods.rb2_revolute_get_state(Handle, joint.Value, &angle, &speed), "GetJointState");
        return (angle, speed);
    }

    /// <summary>Advances the world by <paramref name="dt"/> seconds; afterwards <see cref="ContactEvents"/> holds this step's events.</summary>
    public void Step(float dt, int velocityIterations, int positionIterations) =>
        Check(NativeMethods.rb2_world_step(Handle, dt, velocityIterations, positionIterations), "Step");

    /// <summary>The BeginContact/EndContact callbacks of the last step (and of bodies destroyed since), in Box2D's order; valid until the next call that changes the world.</summary>
    public ReadOnlySpan<ContactEvent> ContactEvents
    {
        get
        {
            ContactEvent* events;
            int count = Check(NativeMethods.rb2_world_contact_events(Handle, &events), "ContactEvents");
            return new ReadOnlySpan<ContactEvent>(events, count);
        }
    }

    /// <summary>The nearest fixture on the segment from (x1, y1) to (x2, y2) whose category bits meet <paramref name="categoryMask"/>.</summary>
    /// <returns>False when the ray met nothing (then <paramref name="hit"/> has fraction 1).</returns>
    public bool RayCastClosest(float x1, float y1, float x2, float y2, uint categoryMask, out RayHit hit)
    {
        RayHit result;
        int found = Check(NativeMethods.rb2_world_ray_cast_closest(Handle, x1, y1, x2, y2, categoryMask, &result), "RayCastClosest");
        hit = result;
        return found == 1;
    }

    /// <summary>Destroys the native world and everything in it.</summary>
    public void Dispose()
    {
        Release();
        GC.SuppressFinalize(this);
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(World), "Box2D: the world was disposed.");

    private void Release()
    {
        nint handle = _handle;
        _handle = 0;
        if (handle != 0) NativeMethods.rb2_world_destroy(handle);
    }

    private static int Check(int status, string call) => status >= 0 ? status : throw new Box2DException(status switch
    {
        -2 => $"Box2D {call}: no such body in this world (unknown or destroyed id).",
        -3 => $"Box2D {call}: no such joint in this world.",
        -4 => $"Box2D {call}: the shape is degenerate (a polygon needs 3–8 distinct vertices enclosing an area, a box and a circle positive sizes, an edge two distinct ends).",
        -5 => $"Box2D {call}: an argument is out of range or not finite.",
        _ => $"Box2D {call}: failed with status {status}.",
    });
}
