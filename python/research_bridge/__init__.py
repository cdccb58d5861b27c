"""research_bridge: environments across a process boundary, in both directions.

* ``python -m research_bridge.worker`` hosts Gymnasium environments (or ``module:callable`` factories) for the C# project's
  ``gym:`` environments (``Research.Plugins.Gymnasium``).
* ``research_bridge.make("CartPole-v1")`` returns a Gymnasium-compatible environment backed by the project's C# environments
  (``research env serve``), so Python code (Stable-Baselines3 included) can run on exactly the C# dynamics.

Both speak the protocol in ``docs/bridge-protocol.md``. Needs only the standard library and NumPy; Gymnasium when the hosted
environment needs it.
"""

from .protocol import PROTOCOL_VERSION, BridgeError
from .client import RemoteEnv, make

__all__ = ["PROTOCOL_VERSION", "BridgeError", "RemoteEnv", "make"]
__version__ = "1.0.0"
