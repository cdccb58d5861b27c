"""`from Box2D.b2 import ...` for the facade (see __init__.py)."""
from Box2D import (circleShape, contactListener, edgeShape, fixtureDef, polygonShape, rayCastCallback,  # noqa: F401
                   revoluteJointDef)
