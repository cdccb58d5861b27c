using System.Runtime.InteropServices;

namespace Research.Plugins.Box2D.Physics;

/// <summary>The C ABI of <c>Native/research_box2d.cpp</c>; only <see cref="World"/> calls it.</summary>
/// <remarks>Every struct is blittable and laid out as its C twin (4-byte fields, no padding), so calls marshal nothing.</remarks>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "research_box2d";

    [LibraryImport(Library)] internal static partial int rb2_version();
    [LibraryImport(Library)] internal static partial nint rb2_world_create(float gravityX, float gravityY, int allowSleep);
    [LibraryImport(Library)] internal static partial void rb2_world_destroy(nint world);
    [LibraryImport(Library)] internal static partial int rb2_world_step(nint world, float dt, int velocityIterations, int positionIterations);
    [LibraryImport(Library)] internal static partial int rb2_world_contact_events(nint world, ContactEvent** events);
    [LibraryImport(Library)] internal static partial int rb2_world_ray_cast_closest(nint world, float x1, float y1, float x2, float y2, uint categoryMask, RayHit* hit);
    [LibraryImport(Library)] internal static partial int rb2_body_create(nint world, int type, float x, float y, float angle);
    [LibraryImport(Library)] internal static partial int rb2_body_destroy(nint world, int body);
    [LibraryImport(Library)] internal static partial int rb2_body_add_polygon(nint world, int body, float* xy, int count, FixtureDef* def);
    [LibraryImport(Library)] internal static partial int rb2_body_add_box(nint world, int body, float halfWidth, float halfHeight, FixtureDef* def);
    [LibraryImport(Library)] internal static partial int rb2_body_add_edge(nint world, int body, float x1, float y1, float x2, float y2, FixtureDef* def);
    [LibraryImport(Library)] internal static partial int rb2_body_add_circle(nint world, int body, float x, float y, float radius, FixtureDef* def);
    [LibraryImport(Library)] internal static partial int rb2_fixture_set_sensor(nint world, int body, int fixture, int isSensor);
    [LibraryImport(Library)] internal static partial int rb2_body_get_state(nint world, int body, BodyState* state);
    [LibraryImport(Library)] internal static partial int rb2_body_set_transform(nint world, int body, float x, float y, float angle);
    [LibraryImport(Library)] internal static partial int rb2_body_set_velocity(nint world, int body, float vx, float vy, float omega);
    [LibraryImport(Library)] internal static partial int rb2_body_set_awake(nint world, int body, int awake);
    [LibraryImport(Library)] internal static partial int rb2_body_apply_force_to_center(nint world, int body, float fx, float fy, int wake);
    [LibraryImport(Library)] internal static partial int rb2_body_apply_linear_impulse(nint world, int body, float ix, float iy, float px, float py, int wake);
    [LibraryImport(Library)] internal static partial int rb2_body_apply_torque(nint world, int body, float torque, int wake);
    [LibraryImport(Library)] internal static partial int rb2_revolute_create(nint world, RevoluteJointDef* def);
    [LibraryImport(Library)] internal static partial int rb2_revolute_set_motor_speed(nint world, int joint, float speed);
    [LibraryImport(Library)] internal static partial int rb2_revolute_set_max_motor_torque(nint world, int joint, float torque);
    [LibraryImport(Library)] internal static partial int rb2_revolute_get_state(nint world, int joint, float* angle, float* speed);
}
