"""Just enough of pybox2d's Python API for Gymnasium 0.29.1's Box2D environments, over the project's native shim.

This is a reference tool, not part of the project: it lets Gymnasium's own environment code run on the very Box2D
build the C# plugin uses (tools/box2d/make_golden.py), so the two can be compared step for step. The shim library is
given by the RESEARCH_BOX2D_SHIM environment variable (a libresearch_box2d.so built against Debian's Box2D 2.4.1, or
against pybox2d's bundled 2.3 sources by build_shim_23.sh).

Departures from pybox2d, none of which these environments can observe:
- contact callbacks run after world.Step returns (in Box2D's order) instead of during it: the environments' listeners
  only set flags and add rewards, which nothing reads inside a step;
- world.RayCast reports only the closest fixture of collision category 1 to the callback: exactly what the lidar
  callback (the only ray cast) keeps, since Box2D clips the ray to each reported fraction;
- bodies keep every attribute set on them as ordinary Python attributes.
"""
import ctypes
import math
import os

__all__ = ["b2World", "b2Body", "b2RevoluteJoint", "b2"]

_lib = ctypes.CDLL(os.environ["RESEARCH_BOX2D_SHIM"])
_f, _i, _p = ctypes.c_float, ctypes.c_int32, ctypes.c_void_p


class _FixtureDefC(ctypes.Structure):
    _fields_ = [("density", _f), ("friction", _f), ("restitution", _f), ("category_bits", _i), ("mask_bits", _i),
                ("group_index", _i), ("is_sensor", _i)]


class _BodyStateC(ctypes.Structure):
    _fields_ = [("x", _f), ("y", _f), ("angle", _f), ("vx", _f), ("vy", _f), ("omega", _f), ("sin", _f), ("cos", _f),
                ("awake", _i)]


class _RevoluteDefC(ctypes.Structure):
    _fields_ = [("body_a", _i), ("body_b", _i), ("anchor_ax", _f), ("anchor_ay", _f), ("anchor_bx", _f),
                ("anchor_by", _f), ("reference_angle", _f), ("enable_limit", _i), ("lower_angle", _f),
                ("upper_angle", _f), ("enable_motor", _i), ("motor_speed", _f), ("max_motor_torque", _f),
                ("collide_connected", _i)]


class _EventC(ctypes.Structure):
    _fields_ = [("begin", _i), ("body_a", _i), ("fixture_a", _i), ("body_b", _i), ("fixture_b", _i)]


class _RayHitC(ctypes.Structure):
    _fields_ = [("fraction", _f), ("x", _f), ("y", _f), ("nx", _f), ("ny", _f), ("body", _i), ("fixture", _i)]


def _sig(name, res, *args):
    fn = getattr(_lib, name)
    fn.restype = res
    fn.argtypes = list(args)
    return fn


_world_create = _sig("rb2_world_create", _p, _f, _f, _i)
_world_destroy = _sig("rb2_world_destroy", None, _p)
_world_step = _sig("rb2_world_step", _i, _p, _f, _i, _i)
_world_events = _sig("rb2_world_contact_events", _i, _p, ctypes.POINTER(ctypes.POINTER(_EventC)))
_world_ray = _sig("rb2_world_ray_cast_closest", _i, _p, _f, _f, _f, _f, ctypes.c_uint32, ctypes.POINTER(_RayHitC))
_body_create = _sig("rb2_body_create", _i, _p, _i, _f, _f, _f)
_body_destroy = _sig("rb2_body_destroy", _i, _p, _i)
_add_polygon = _sig("rb2_body_add_polygon", _i, _p, _i, ctypes.POINTER(_f), _i, ctypes.POINTER(_FixtureDefC))
_add_box = _sig("rb2_body_add_box", _i, _p, _i, _f, _f, ctypes.POINTER(_FixtureDefC))
_add_edge = _sig("rb2_body_add_edge", _i, _p, _i, _f, _f, _f, _f, ctypes.POINTER(_FixtureDefC))
_add_circle = _sig("rb2_body_add_circle", _i, _p, _i, _f, _f, _f, ctypes.POINTER(_FixtureDefC))
_set_sensor = _sig("rb2_fixture_set_sensor", _i, _p, _i, _i, _i)
_get_state = _sig("rb2_body_get_state", _i, _p, _i, ctypes.POINTER(_BodyStateC))
_force = _sig("rb2_body_apply_force_to_center", _i, _p, _i, _f, _f, _i)
_impulse = _sig("rb2_body_apply_linear_impulse", _i, _p, _i, _f, _f, _f, _f, _i)
_torque = _sig("rb2_body_apply_torque", _i, _p, _i, _f, _i)
_revolute = _sig("rb2_revolute_create", _i, _p, ctypes.POINTER(_RevoluteDefC))
_motor_speed = _sig("rb2_revolute_set_motor_speed", _i, _p, _i, _f)
_motor_torque = _sig("rb2_revolute_set_max_motor_torque", _i, _p, _i, _f)
_joint_state = _sig("rb2_revolute_get_state", _i, _p, _i, ctypes.POINTER(_f), ctypes.POINTER(_f))
_version = _sig("rb2_version", _i)
VERSION = _version()


def _ok(status, what):
    if status < 0:
        raise RuntimeError("shim %s failed with %d" % (what, status))
    return status


class Vec2(tuple):
    """b2Vec2 as Python sees it: indexable, unpackable, with .x and .y."""

    def __new__(cls, x, y):
        return tuple.__new__(cls, (float(x), float(y)))

    x = property(lambda self: self[0])
    y = property(lambda self: self[1])


# ---- shapes and definitions -------------------------------------------------------------------------------------

class polygonShape:
    def __init__(self, vertices=None, box=None):
        self._vertices = [(float(x), float(y)) for x, y in vertices] if vertices is not None else None
        self._box = tuple(float(v) for v in box) if box is not None else None

    @property
    def vertices(self):
        if self._box is not None:
            hx, hy = self._box
            return [(-hx, -hy), (hx, -hy), (hx, hy), (-hx, hy)]
        return list(self._vertices)

    @vertices.setter
    def vertices(self, values):
        self._vertices = [(float(x), float(y)) for x, y in values]
        self._box = None

    @property
    def box(self):
        raise AttributeError("box is write-only")

    @box.setter
    def box(self, value):
        self._box = tuple(float(v) for v in value)


class edgeShape:
    def __init__(self, vertices=None):
        self.vertices = vertices

    @property
    def vertices(self):
        return list(self._vertices)

    @vertices.setter
    def vertices(self, values):
        self._vertices = [(float(x), float(y)) for x, y in values] if values is not None else None


class circleShape:
    def __init__(self, radius=1.0, pos=(0, 0)):
        self.radius = float(radius)
        self.pos = (float(pos[0]), float(pos[1]))


class fixtureDef:
    def __init__(self, shape=None, density=0.0, friction=0.2, restitution=0.0, categoryBits=0x0001, maskBits=0xFFFF,
                 groupIndex=0, isSensor=False):
        self.shape, self.density, self.friction, self.restitution = shape, density, friction, restitution
        self.categoryBits, self.maskBits, self.groupIndex, self.isSensor = categoryBits, maskBits, groupIndex, isSensor

    def _c(self):
        return _FixtureDefC(self.density, self.friction, self.restitution, self.categoryBits, self.maskBits,
                            self.groupIndex, 1 if self.isSensor else 0)


class revoluteJointDef:
    def __init__(self, bodyA=None, bodyB=None, localAnchorA=(0, 0), localAnchorB=(0, 0), referenceAngle=0.0,
                 enableLimit=False, lowerAngle=0.0, upperAngle=0.0, enableMotor=False, motorSpeed=0.0,
                 maxMotorTorque=0.0, collideConnected=False):
        self.bodyA, self.bodyB, self.localAnchorA, self.localAnchorB = bodyA, bodyB, localAnchorA, localAnchorB
        self.referenceAngle, self.enableLimit, self.lowerAngle, self.upperAngle = referenceAngle, enableLimit, lowerAngle, upperAngle
        self.enableMotor, self.motorSpeed, self.maxMotorTorque = enableMotor, motorSpeed, maxMotorTorque
        self.collideConnected = collideConnected


class contactListener:
    def __init__(self):
        pass

    def BeginContact(self, contact):
        pass

    def EndContact(self, contact):
        pass


class rayCastCallback:
    def __init__(self):
        pass


# ---- world objects ------------------------------------------------------------------------------------------------

class _Filter:
    def __init__(self, category_bits, mask_bits, group_index):
        self.categoryBits, self.maskBits, self.groupIndex = category_bits, mask_bits, group_index


class b2Fixture:
    def __init__(self, body, index, shape, definition):
        self.body, self.index, self.shape = body, index, shape
        self.filterData = _Filter(definition.categoryBits, definition.maskBits, definition.groupIndex)
        self._sensor = bool(definition.isSensor)

    @property
    def sensor(self):
        return self._sensor

    @sensor.setter
    def sensor(self, value):
        _ok(_set_sensor(self.body._world._handle, self.body._index, self.index, 1 if value else 0), "set sensor")
        self._sensor = bool(value)


class b2Body:
    def __init__(self, world, index):
        self._world, self._index = world, index
        self.fixtures = []
        self.userData = None

    def _state(self):
        s = _BodyStateC()
        _ok(_get_state(self._world._handle, self._index, ctypes.byref(s)), "get_state")
        return s

    position = property(lambda self: Vec2(self._state().x, self._state().y))
    linearVelocity = property(lambda self: Vec2(self._state().vx, self._state().vy))
    angle = property(lambda self: float(self._state().angle))
    angularVelocity = property(lambda self: float(self._state().omega))
    awake = property(lambda self: bool(self._state().awake))

    def GetWorldVector(self, v):
        import numpy as np
        s = self._state()
        c, sn, x, y = np.float32(s.cos), np.float32(s.sin), np.float32(v[0]), np.float32(v[1])
        return Vec2(c * x - sn * y, sn * x + c * y)

    def ApplyForceToCenter(self, force, wake):
        _ok(_force(self._world._handle, self._index, force[0], force[1], 1 if wake else 0), "force")

    def ApplyLinearImpulse(self, impulse, point, wake):
        _ok(_impulse(self._world._handle, self._index, impulse[0], impulse[1], point[0], point[1], 1 if wake else 0), "impulse")

    def ApplyTorque(self, torque, wake):
        _ok(_torque(self._world._handle, self._index, torque, 1 if wake else 0), "torque")

    def CreateFixture(self, definition):
        shape, h, c = definition.shape, self._world._handle, definition._c()
        if isinstance(shape, polygonShape):
            if shape._box is not None:
                index = _add_box(h, self._index, shape._box[0], shape._box[1], ctypes.byref(c))
            else:
                flat = [v for p in shape._vertices for v in p]
                arr = (_f * len(flat))(*flat)
                index = _add_polygon(h, self._index, arr, len(shape._vertices), ctypes.byref(c))
            stored = polygonShape(box=shape._box) if shape._box is not None else polygonShape(vertices=shape._vertices)
        elif isinstance(shape, edgeShape):
            (x1, y1), (x2, y2) = shape._vertices
            index = _add_edge(h, self._index, x1, y1, x2, y2, ctypes.byref(c))
            stored = edgeShape(vertices=shape._vertices)
        elif isinstance(shape, circleShape):
            index = _add_circle(h, self._index, shape.pos[0], shape.pos[1], shape.radius, ctypes.byref(c))
            stored = circleShape(shape.radius, shape.pos)
        else:
            raise TypeError("unsupported shape %r" % (shape,))
        _ok(index, "add fixture")
        fixture = b2Fixture(self, index, stored, definition)
        self.fixtures.append(fixture)
        self._world._fixtures[(self._index, index)] = fixture
        return fixture

    def CreateEdgeFixture(self, vertices, **kwargs):
        return self.CreateFixture(fixtureDef(shape=edgeShape(vertices=vertices), **kwargs))


class b2RevoluteJoint:
    def __init__(self, world, index, definition):
        self._world, self._index = world, index
        self._motorSpeed, self._maxMotorTorque = definition.motorSpeed, definition.maxMotorTorque

    def _state(self):
        a, s = _f(), _f()
        _ok(_joint_state(self._world._handle, self._index, ctypes.byref(a), ctypes.byref(s)), "joint state")
        return float(a.value), float(s.value)

    angle = property(lambda self: self._state()[0])
    speed = property(lambda self: self._state()[1])

    @property
    def motorSpeed(self):
        return self._motorSpeed

    @motorSpeed.setter
    def motorSpeed(self, value):
        self._motorSpeed = value
        _ok(_motor_speed(self._world._handle, self._index, value), "motor speed")

    @property
    def maxMotorTorque(self):
        return self._maxMotorTorque

    @maxMotorTorque.setter
    def maxMotorTorque(self, value):
        self._maxMotorTorque = value
        _ok(_motor_torque(self._world._handle, self._index, value), "motor torque")


class _Contact:
    def __init__(self, fixture_a, fixture_b):
        self.fixtureA, self.fixtureB = fixture_a, fixture_b


class b2World:
    def __init__(self, gravity=(0, -10), doSleep=True, contactListener=None):
        self._handle = _world_create(gravity[0], gravity[1], 1 if doSleep else 0)
        self._bodies, self._fixtures = {}, {}
        self.contactListener = contactListener

    def __del__(self):
        if getattr(self, "_handle", None):
            _world_destroy(self._handle)
            self._handle = None

    def _create(self, kind, position=(0, 0), angle=0.0, fixtures=None, shapes=None):
        index = _ok(_body_create(self._handle, kind, position[0], position[1], angle), "create body")
        body = b2Body(self, index)
        self._bodies[index] = body
        if fixtures is not None:
            for definition in (fixtures if isinstance(fixtures, (list, tuple)) else [fixtures]):
                body.CreateFixture(definition)
        if shapes is not None:
            for shape in (shapes if isinstance(shapes, (list, tuple)) else [shapes]):
                body.CreateFixture(fixtureDef(shape=shape))
        return body

    def CreateStaticBody(self, **kwargs):
        return self._create(0, **kwargs)

    def CreateDynamicBody(self, **kwargs):
        return self._create(2, **kwargs)

    def DestroyBody(self, body):
        _ok(_body_destroy(self._handle, body._index), "destroy body")
        self._dispatch()
        del self._bodies[body._index]

    def CreateJoint(self, d):
        c = _RevoluteDefC(d.bodyA._index, d.bodyB._index, d.localAnchorA[0], d.localAnchorA[1], d.localAnchorB[0],
                          d.localAnchorB[1], d.referenceAngle, 1 if d.enableLimit else 0, d.lowerAngle, d.upperAngle,
                          1 if d.enableMotor else 0, d.motorSpeed, d.maxMotorTorque, 1 if d.collideConnected else 0)
        return b2RevoluteJoint(self, _ok(_revolute(self._handle, ctypes.byref(c)), "revolute"), d)

    def Step(self, dt, velocity_iterations, position_iterations):
        _ok(_world_step(self._handle, dt, velocity_iterations, position_iterations), "step")
        self._dispatch()

    def _dispatch(self):
        events = ctypes.POINTER(_EventC)()
        count = _world_events(self._handle, ctypes.byref(events))
        copied = [(events[k].begin, events[k].body_a, events[k].fixture_a, events[k].body_b, events[k].fixture_b)
                  for k in range(count)]
        if self.contactListener is None:
            return
        for begin, ba, fa, bb, fb in copied:
            contact = _Contact(self._fixtures[(ba, fa)], self._fixtures[(bb, fb)])
            (self.contactListener.BeginContact if begin else self.contactListener.EndContact)(contact)

    def RayCast(self, callback, p1, p2):
        hit = _RayHitC()
        if _ok(_world_ray(self._handle, p1[0], p1[1], p2[0], p2[1], 1, ctypes.byref(hit)), "ray cast") == 1:
            callback.ReportFixture(self._fixtures[(hit.body, hit.fixture)], Vec2(hit.x, hit.y), Vec2(hit.nx, hit.ny),
                                   float(hit.fraction))


class _B2Namespace:
    pass


b2 = _B2Namespace()
for _name in ["polygonShape", "edgeShape", "circleShape", "fixtureDef", "revoluteJointDef", "contactListener",
              "rayCastCallback"]:
    setattr(b2, _name, globals()[_name])
