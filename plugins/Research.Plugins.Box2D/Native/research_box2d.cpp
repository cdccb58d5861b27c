// A thin C ABI over Box2D for P/Invoke: worlds, bodies, fixtures (polygon, box, edge, circle), revolute joints with
// motors and limits, contact begin/end events, closest-hit ray casts, stepping, and body state get/set.
//
// Bodies, fixtures and joints are small integer ids (indices into per-world tables), so the managed side never holds a
// Box2D pointer. Every function returns a status (>= 0 success, < 0 one of the RB2_E_* codes) instead of letting an
// assertion abort the process: Debian's libbox2d is built with assertions on, so input Box2D would assert on (a
// degenerate polygon, a zero-length ray, a joint from a body to itself) is refused here first.
//
// Builds against Box2D 2.4 (<box2d/box2d.h>, Debian's libbox2d-dev) and, for the reference tools only, with -DRB2_BOX2D_23
// against the Box2D 2.3 sources that pybox2d bundles (<Box2D/Box2D.h>); the few API differences are in the helpers below.

#if defined(RB2_BOX2D_23)
#include <Box2D/Box2D.h>
#define RB2_BOX2D_24 0
#else
#include <box2d/box2d.h>
#define RB2_BOX2D_24 1
#endif

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <new>
#include <vector>

#if defined(_WIN32)
#define RB2_EXPORT extern "C" __declspec(dllexport)
#else
#define RB2_EXPORT extern "C" __attribute__((visibility("default")))
#endif

enum
{
    RB2_OK = 0,
    RB2_E_WORLD = -1,     // null world
    RB2_E_BODY = -2,      // unknown or destroyed body id
    RB2_E_JOINT = -3,     // unknown joint id
    RB2_E_GEOMETRY = -4,  // a shape Box2D would assert on
    RB2_E_ARGUMENT = -5,  // any other invalid argument
    RB2_E_MEMORY = -6,
};

struct rb2_fixture_def
{
    float density, friction, restitution;
    int32_t category_bits, mask_bits, group_index, is_sensor;
};

struct rb2_body_state
{
    float x, y, angle;        // origin position and angle (pybox2d's body.position, body.angle)
    float vx, vy, omega;      // linear velocity of the centre of mass, angular velocity
    float sin, cos;           // the transform's rotation as Box2D stores it (for GetWorldVector/GetWorldPoint)
    int32_t awake;
};

struct rb2_revolute_def
{
    int32_t body_a, body_b;
    float anchor_ax, anchor_ay, anchor_bx, anchor_by, reference_angle;
    int32_t enable_limit;
    float lower_angle, upper_angle;
    int32_t enable_motor;
    float motor_speed, max_motor_torque;
    int32_t collide_connected;
};

struct rb2_contact_event
{
    int32_t begin;            // 1 BeginContact, 0 EndContact
    int32_t body_a, fixture_a, body_b, fixture_b;
};

struct rb2_ray_hit
{
    float fraction, x, y, normal_x, normal_y;
    int32_t body, fixture;
};

namespace
{
// Ids travel in Box2D's user data as id + 1, so a zero pointer means "not ours".
#if RB2_BOX2D_24
inline void SetBodyId(b2BodyDef& def, int32_t id) { def.userData.pointer = static_cast<uintptr_t>(id) + 1; }
inline int32_t BodyId(b2Body* body) { return static_cast<int32_t>(body->GetUserData().pointer) - 1; }
inline void SetFixtureId(b2FixtureDef& def, int32_t id) { def.userData.pointer = static_cast<uintptr_t>(id) + 1; }
inline int32_t FixtureId(b2Fixture* fixture) { return static_cast<int32_t>(fixture->GetUserData().pointer) - 1; }
inline void SetEdge(b2EdgeShape& edge, const b2Vec2& a, const b2Vec2& b) { edge.SetTwoSided(a, b); }
#else
inline void SetBodyId(b2BodyDef& def, int32_t id) { def.userData = reinterpret_cast<void*>(static_cast<uintptr_t>(id) + 1); }
inline int32_t BodyId(b2Body* body) { return static_cast<int32_t>(reinterpret_cast<uintptr_t>(body->GetUserData())) - 1; }
inline void SetFixtureId(b2FixtureDef& def, int32_t id) { def.userData = reinterpret_cast<void*>(static_cast<uintptr_t>(id) + 1); }
inline int32_t FixtureId(b2Fixture* fixture) { return static_cast<int32_t>(reinterpret_cast<uintptr_t>(fixture->GetUserData())) - 1; }
inline void SetEdge(b2EdgeShape& edge, const b2Vec2& a, const b2Vec2& b) { edge.Set(a, b); }
#endif

class EventRecorder final : public b2ContactListener
{
public:
    std::vector<rb2_contact_event> events;

    void BeginContact(b2Contact* contact) override { Record(contact, 1); }
    void EndContact(b2Contact* contact) override { Record(contact, 0); }

private:
    void Record(b2Contact* contact, int32_t begin)
    {
        b2Fixture* a = contact->GetFixtureA();
        b2Fixture* b = contact->GetFixtureB();
        events.push_back({begin, BodyId(a->GetBody()), FixtureId(a), BodyId(b->GetBody()), FixtureId(b)});
    }
};

// The closest fixture whose category bits meet the mask: Box2D clips the ray to each reported fraction, so the last
// report is the nearest hit (Gymnasium's lidar callback, which ignores fixtures outside category 1 by returning -1).
class ClosestHit final : public b2RayCastCallback
{
public:
    explicit ClosestHit(uint32_t mask) : mask_(mask) {}
    rb2_ray_hit hit{1.0f, 0.0f, 0.0f, 0.0f, 0.0f, -1, -1};
    bool found = false;

    float ReportFixture(b2Fixture* fixture, const b2Vec2& point, const b2Vec2& normal, float fraction) override
    {
        if ((fixture->GetFilterData().categoryBits & mask_) == 0) return -1.0f;
        hit = {fraction, point.x, point.y, normal.x, normal.y, BodyId(fixture->GetBody()), FixtureId(fixture)};
        found = true;
        return fraction;
    }

private:
    uint32_t mask_;
};

struct BodyRecord
{
    b2Body* body;
    int32_t fixtures;
};

bool Finite(float v) { return std::isfinite(v); }
}  // namespace

struct rb2_world
{
    explicit rb2_world(const b2Vec2& gravity) : world(gravity) { world.SetContactListener(&recorder); }
    b2World world;
    EventRecorder recorder;
    std::vector<BodyRecord> bodies;
    std::vector<b2RevoluteJoint*> joints;

    b2Body* Body(int32_t id) const
    {
        return id >= 0 && id < static_cast<int32_t>(bodies.size()) ? bodies[static_cast<size_t>(id)].body : nullptr;
    }

    b2RevoluteJoint* Joint(int32_t id) const
    {
        return id >= 0 && id < static_cast<int32_t>(joints.size()) ? joints[static_cast<size_t>(id)] : nullptr;
    }
};

namespace
{
int32_t AddFixture(rb2_world* w, int32_t body, const b2Shape& shape, const rb2_fixture_def* def)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!def || !Finite(def->density) || !Finite(def->friction) || !Finite(def->restitution) || def->density < 0)
        return RB2_E_ARGUMENT;
    b2FixtureDef fd;
    fd.shape = &shape;
    fd.density = def->density;
    fd.friction = def->friction;
    fd.restitution = def->restitution;
    fd.filter.categoryBits = static_cast<uint16_t>(def->category_bits);
    fd.filter.maskBits = static_cast<uint16_t>(def->mask_bits);
    fd.filter.groupIndex = static_cast<int16_t>(def->group_index);
    fd.isSensor = def->is_sensor != 0;
    BodyRecord& record = w->bodies[static_cast<size_t>(body)];
    int32_t id = record.fixtures;
    SetFixtureId(fd, id);
    b->CreateFixture(&fd);
    record.fixtures++;
    return id;
}

// What b2PolygonShape::Set asserts on: fewer than 3 or more than b2_maxPolygonVertices points, points closer than
// half a linear slop (welded), or a hull that is a line or has no area. Checked on the convex hull in double precision.
bool PolygonIsValid(const float* xy, int32_t count)
{
    if (count < 3 || count > b2_maxPolygonVertices) return false;
    const double weld = 0.5 * b2_linearSlop;
    std::vector<std::pair<double, double>> p;
    for (int32_t i = 0; i < count; i++)
    {
        double x = xy[2 * i], y = xy[2 * i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) return false;
        bool unique = true;
        for (const auto& q : p)
            if ((x - q.first) * (x - q.first) + (y - q.second) * (y - q.second) < weld * weld) unique = false;
        if (unique) p.emplace_back(x, y);
    }
    if (p.size() < 3) return false;
    std::sort(p.begin(), p.end());
    auto cross = [](const std::pair<double, double>& o, const std::pair<double, double>& a, const std::pair<double, double>& b) {
        return (a.first - o.first) * (b.second - o.second) - (a.second - o.second) * (b.first - o.first);
    };
    std::vector<std::pair<double, double>> hull(2 * p.size());
    size_t k = 0;
    for (size_t i = 0; i < p.size(); i++)
    {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0) k--;
        hull[k++] = p[i];
    }
    for (size_t i = p.size() - 1, t = k + 1; i > 0; i--)
    {
        while (k >= t && cross(hull[k - 2], hull[k - 1], p[i - 1]) <= 0) k--;
        hull[k++] = p[i - 1];
    }
    size_t n = k - 1;
    if (n < 3) return false;
    double area = 0;
    for (size_t i = 0; i < n; i++)
        area += hull[i].first * hull[(i + 1) % n].second - hull[(i + 1) % n].first * hull[i].second;
    return 0.5 * area > 16 * b2_epsilon;
}
}  // namespace

RB2_EXPORT int32_t rb2_version(void)
{
    return b2_version.major * 100 + b2_version.minor * 10 + b2_version.revision;
}

RB2_EXPORT rb2_world* rb2_world_create(float gravity_x, float gravity_y, int32_t allow_sleep)
{
    if (!Finite(gravity_x) || !Finite(gravity_y)) return nullptr;
    rb2_world* w = new (std::nothrow) rb2_world(b2Vec2(gravity_x, gravity_y));
    if (w) w->world.SetAllowSleeping(allow_sleep != 0);
    return w;
}

RB2_EXPORT void rb2_world_destroy(rb2_world* w)
{
    if (!w) return;
    // Bodies go with the world; no EndContact events are wanted from the teardown.
    w->world.SetContactListener(nullptr);
    delete w;
}

RB2_EXPORT int32_t rb2_world_step(rb2_world* w, float dt, int32_t velocity_iterations, int32_t position_iterations)
{
    if (!w) return RB2_E_WORLD;
    if (!Finite(dt) || dt < 0 || velocity_iterations < 0 || position_iterations < 0) return RB2_E_ARGUMENT;
    w->recorder.events.clear();
    w->world.Step(dt, velocity_iterations, position_iterations);
    return RB2_OK;
}

// The contact events since the last step began (and any EndContact of bodies destroyed since), in Box2D's order.
RB2_EXPORT int32_t rb2_world_contact_events(rb2_world* w, const rb2_contact_event** events)
{
    if (!w || !events) return RB2_E_WORLD;
    *events = w->recorder.events.data();
    return static_cast<int32_t>(w->recorder.events.size());
}

RB2_EXPORT int32_t rb2_world_ray_cast_closest(rb2_world* w, float x1, float y1, float x2, float y2, uint32_t category_mask, rb2_ray_hit* hit)
{
    if (!w) return RB2_E_WORLD;
    if (!hit || !Finite(x1) || !Finite(y1) || !Finite(x2) || !Finite(y2)) return RB2_E_ARGUMENT;
    b2Vec2 p1(x1, y1), p2(x2, y2);
    if ((p2 - p1).LengthSquared() <= 0.0f) return RB2_E_ARGUMENT;
    ClosestHit callback(category_mask);
    w->world.RayCast(&callback, p1, p2);
    *hit = callback.hit;
    return callback.found ? 1 : 0;
}

// type: 0 static, 1 kinematic, 2 dynamic (Box2D's b2BodyType). Returns the body id.
RB2_EXPORT int32_t rb2_body_create(rb2_world* w, int32_t type, float x, float y, float angle)
{
    if (!w) return RB2_E_WORLD;
    if (type < 0 || type > 2 || !Finite(x) || !Finite(y) || !Finite(angle)) return RB2_E_ARGUMENT;
    b2BodyDef def;
    def.type = static_cast<b2BodyType>(type);
    def.position.Set(x, y);
    def.angle = angle;
    int32_t id = static_cast<int32_t>(w->bodies.size());
    SetBodyId(def, id);
    w->bodies.push_back({w->world.CreateBody(&def), 0});
    return id;
}

RB2_EXPORT int32_t rb2_body_destroy(rb2_world* w, int32_t body)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    // Box2D destroys the joints attached to the body with it.
    b2JointEdge* edge = b->GetJointList();
    for (; edge; edge = edge->next)
        for (auto& j : w->joints)
            if (j == edge->joint) j = nullptr;
    w->world.DestroyBody(b);
    w->bodies[static_cast<size_t>(body)].body = nullptr;
    return RB2_OK;
}

// A convex polygon of 3..8 vertices given as x0, y0, x1, y1, ...; Box2D takes their convex hull. Returns the fixture id.
RB2_EXPORT int32_t rb2_body_add_polygon(rb2_world* w, int32_t body, const float* xy, int32_t count, const rb2_fixture_def* def)
{
    if (!xy || !PolygonIsValid(xy, count)) return RB2_E_GEOMETRY;
    b2Vec2 vertices[b2_maxPolygonVertices];
    for (int32_t i = 0; i < count; i++) vertices[i].Set(xy[2 * i], xy[2 * i + 1]);
    b2PolygonShape shape;
    shape.Set(vertices, count);
    return AddFixture(w, body, shape, def);
}

RB2_EXPORT int32_t rb2_body_add_box(rb2_world* w, int32_t body, float half_width, float half_height, const rb2_fixture_def* def)
{
    if (!Finite(half_width) || !Finite(half_height) || half_width * half_height * 4 <= 16 * b2_epsilon || half_width <= 0 || half_height <= 0)
        return RB2_E_GEOMETRY;
    b2PolygonShape shape;
    shape.SetAsBox(half_width, half_height);
    return AddFixture(w, body, shape, def);
}

RB2_EXPORT int32_t rb2_body_add_edge(rb2_world* w, int32_t body, float x1, float y1, float x2, float y2, const rb2_fixture_def* def)
{
    if (!Finite(x1) || !Finite(y1) || !Finite(x2) || !Finite(y2) || (x1 == x2 && y1 == y2)) return RB2_E_GEOMETRY;
    b2EdgeShape shape;
    SetEdge(shape, b2Vec2(x1, y1), b2Vec2(x2, y2));
    return AddFixture(w, body, shape, def);
}

RB2_EXPORT int32_t rb2_body_add_circle(rb2_world* w, int32_t body, float x, float y, float radius, const rb2_fixture_def* def)
{
    if (!Finite(x) || !Finite(y) || !Finite(radius) || radius <= 0) return RB2_E_GEOMETRY;
    b2CircleShape shape;
    shape.m_p.Set(x, y);
    shape.m_radius = radius;
    return AddFixture(w, body, shape, def);
}

// Makes a fixture a sensor (contacts reported, never solved) or a solid one again.
RB2_EXPORT int32_t rb2_fixture_set_sensor(rb2_world* w, int32_t body, int32_t fixture, int32_t is_sensor)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    for (b2Fixture* f = b->GetFixtureList(); f; f = f->GetNext())
        if (FixtureId(f) == fixture)
        {
            f->SetSensor(is_sensor != 0);
            return RB2_OK;
        }
    return RB2_E_ARGUMENT;
}

RB2_EXPORT int32_t rb2_body_get_state(rb2_world* w, int32_t body, rb2_body_state* state)
{
    if (!w) return RB2_E_WORLD;
    const b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!state) return RB2_E_ARGUMENT;
    const b2Transform& xf = b->GetTransform();
    const b2Vec2& v = b->GetLinearVelocity();
    *state = {xf.p.x, xf.p.y, b->GetAngle(), v.x, v.y, b->GetAngularVelocity(), xf.q.s, xf.q.c, b->IsAwake() ? 1 : 0};
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_set_transform(rb2_world* w, int32_t body, float x, float y, float angle)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!Finite(x) || !Finite(y) || !Finite(angle)) return RB2_E_ARGUMENT;
    b->SetTransform(b2Vec2(x, y), angle);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_set_velocity(rb2_world* w, int32_t body, float vx, float vy, float omega)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!Finite(vx) || !Finite(vy) || !Finite(omega)) return RB2_E_ARGUMENT;
    b->SetLinearVelocity(b2Vec2(vx, vy));
    b->SetAngularVelocity(omega);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_set_awake(rb2_world* w, int32_t body, int32_t awake)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    b->SetAwake(awake != 0);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_apply_force_to_center(rb2_world* w, int32_t body, float fx, float fy, int32_t wake)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!Finite(fx) || !Finite(fy)) return RB2_E_ARGUMENT;
    b->ApplyForceToCenter(b2Vec2(fx, fy), wake != 0);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_apply_linear_impulse(rb2_world* w, int32_t body, float ix, float iy, float px, float py, int32_t wake)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!Finite(ix) || !Finite(iy) || !Finite(px) || !Finite(py)) return RB2_E_ARGUMENT;
    b->ApplyLinearImpulse(b2Vec2(ix, iy), b2Vec2(px, py), wake != 0);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_body_apply_torque(rb2_world* w, int32_t body, float torque, int32_t wake)
{
    if (!w) return RB2_E_WORLD;
    b2Body* b = w->Body(body);
    if (!b) return RB2_E_BODY;
    if (!Finite(torque)) return RB2_E_ARGUMENT;
    b->ApplyTorque(torque, wake != 0);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_revolute_create(rb2_world* w, const rb2_revolute_def* def)
{
    if (!w) return RB2_E_WORLD;
    if (!def) return RB2_E_ARGUMENT;
    b2Body* a = w->Body(def->body_a);
    b2Body* b = w->Body(def->body_b);
    if (!a || !b) return RB2_E_BODY;
    const float values[] = {def->anchor_ax, def->anchor_ay, def->anchor_bx, def->anchor_by, def->reference_angle,
                            def->lower_angle, def->upper_angle, def->motor_speed, def->max_motor_torque};
    for (float v : values)
        if (!Finite(v)) return RB2_E_ARGUMENT;
    if (a == b || def->lower_angle > def->upper_angle || def->max_motor_torque < 0) return RB2_E_ARGUMENT;
    b2RevoluteJointDef jd;
    jd.bodyA = a;
    jd.bodyB = b;
    jd.localAnchorA.Set(def->anchor_ax, def->anchor_ay);
    jd.localAnchorB.Set(def->anchor_bx, def->anchor_by);
    jd.referenceAngle = def->reference_angle;
    jd.enableLimit = def->enable_limit != 0;
    jd.lowerAngle = def->lower_angle;
    jd.upperAngle = def->upper_angle;
    jd.enableMotor = def->enable_motor != 0;
    jd.motorSpeed = def->motor_speed;
    jd.maxMotorTorque = def->max_motor_torque;
    jd.collideConnected = def->collide_connected != 0;
    int32_t id = static_cast<int32_t>(w->joints.size());
    w->joints.push_back(static_cast<b2RevoluteJoint*>(w->world.CreateJoint(&jd)));
    return id;
}

RB2_EXPORT int32_t rb2_revolute_set_motor_speed(rb2_world* w, int32_t joint, float speed)
{
    if (!w) return RB2_E_WORLD;
    b2RevoluteJoint* j = w->Joint(joint);
    if (!j) return RB2_E_JOINT;
    if (!Finite(speed)) return RB2_E_ARGUMENT;
    j->SetMotorSpeed(speed);
    return RB2_OK;
}

RB2_EXPORT int32_t rb2_revolute_set_max_motor_torque(rb2_world* w, int32_t joint, float torque)
{
    if (!w) return RB2_E_WORLD;
    b2RevoluteJoint* j = w->Joint(joint);
    if (!j) return RB2_E_JOINT;
    if (!Finite(torque) || torque < 0) return RB2_E_ARGUMENT;
    j->SetMaxMotorTorque(torque);
    return RB2_OK;
}

// The joint angle (body B's angle − body A's − the reference angle) and speed (ωB − ωA), as Box2D computes them.
RB2_EXPORT int32_t rb2_revolute_get_state(rb2_world* w, int32_t joint, float* angle, float* speed)
{
    if (!w) return RB2_E_WORLD;
    b2RevoluteJoint* j = w->Joint(joint);
    if (!j) return RB2_E_JOINT;
    if (!angle || !speed) return RB2_E_ARGUMENT;
    *angle = j->GetJointAngle();
    *speed = j->GetJointSpeed();
    return RB2_OK;
}
