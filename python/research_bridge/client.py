"""A Gymnasium-compatible environment served by another process over the bridge protocol — by default this project's
C# environments through ``research env serve <id>``."""

import os
import shlex
import struct
import subprocess
import threading

import numpy as np

from . import protocol as p
from .spaces import Codec, build

try:
    import gymnasium

    _EnvBase = gymnasium.Env
except ImportError:  # the client works without Gymnasium: same methods and attributes, no base class
    gymnasium = None
    _EnvBase = object

_RESET_ENTRY = struct.Struct("<IBq")
_U32 = struct.Struct("<I")


def make(env_id, *, command=None, render_mode=None, **kwargs):
    """``research_bridge.make("CartPole-v1")``: the C# environment ``env_id`` served by ``research env serve``.

    Keyword arguments become the environment's options (its ``env_kwargs``). ``command`` is the server command line to run
    (a list, or a string split like a shell); by default ``$RESEARCH_CLI env serve <env_id>``, with ``RESEARCH_CLI``
    defaulting to ``research`` on the PATH (``dotnet /path/to/Research.Cli.dll`` works too).
    """
    if command is None:
        cli = shlex.split(os.environ.get("RESEARCH_CLI", "research"))
        command = [*cli, "env", "serve", env_id]
    elif isinstance(command, str):
        command = shlex.split(command)
    return RemoteEnv(command, env_id, kwargs, render_mode)


class RemoteEnv(_EnvBase):
    """One environment in a server process; Gymnasium's ``reset``/``step``/``render``/``close`` and spaces."""

    def __init__(self, command, env_id="", kwargs=None, render_mode=None):
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         bufsize=0)
        self._stderr = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self._conn = p.Connection(self._process.stdout.fileno(), self._process.stdin.fileno())
        self.render_mode = render_mode
        ready = self._request_json(p.HELLO, {"protocol": p.PROTOCOL_VERSION, "env": env_id, "kwargs": kwargs or {},
                                             "num_envs": 1, "first_index": 0, "render_mode": render_mode}, p.READY)
        self._obs_codec = Codec(ready["observation_space"])
        self._act_codec = Codec(ready["action_space"])
        self.observation_space = build(ready["observation_space"])
        self.action_space = build(ready["action_space"])
        self.metadata = {"render_modes": ["rgb_array"], "render_fps": ready.get("render_fps")}
        self.reward_range = (-float("inf"), float("inf"))
        self.spec = None
        self.env_id = ready.get("env_id") or env_id
        self.max_episode_steps = ready.get("max_episode_steps")
        self.reward_threshold = ready.get("reward_threshold")
        self._action_buffer = bytearray(5 + 4 + self._act_codec.size)
        self._action_buffer[0] = 0  # no autoreset: Gymnasium's single-env contract
        self._action_buffer[1:9] = struct.pack("<II", 1, 0)
        self._write_action = self._act_codec.writers(self._action_buffer, 9, 1)
        self._closed = False

    def reset(self, *, seed=None, options=None):
        if gymnasium is not None:
            super().reset(seed=seed)
        options_json = p.dumps(options) if options is not None else b""
        body = _U32.pack(1) + _RESET_ENTRY.pack(0, seed is not None, seed if seed is not None else 0) \
            + _U32.pack(len(options_json)) + options_json
        reply = self._request(p.RESET, body, p.OBSERVATIONS)
        (obs,) = self._obs_codec.read(reply, 0, 1)
        infos, _ = p.decode_infos(reply, self._obs_codec.size, 1)
        return obs, infos[0]

    def step(self, action):
        self._write_action(0, action)
        reply = self._request(p.STEP, self._action_buffer, p.STEPPED)
        size = self._obs_codec.size
        (obs,) = self._obs_codec.read(reply, 0, 1)
        (reward,) = struct.unpack_from("<d", reply, size)
        terminated, truncated = bool(reply[size + 8]), bool(reply[size + 9])
        (ended,) = _U32.unpack_from(reply, size + 10)
        infos, _ = p.decode_infos(reply, size + 14 + ended * (4 + size), 1)
        return obs, reward, terminated, truncated, infos[0]

    def render(self):
        reply = self._request(p.RENDER, _U32.pack(0), p.FRAME)
        height, width, channels = struct.unpack_from("<III", reply, 0)
        if height == 0:
            return None
        return np.frombuffer(bytes(reply[12:12 + height * width * channels]), dtype=np.uint8).reshape(height, width, channels)

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            self._request(p.CLOSE, b"", p.CLOSED)
        except (p.BridgeError, OSError):
            pass
        for stream in (self._process.stdin, self._process.stdout):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def __repr__(self):
        return f"RemoteEnv({self.env_id!r})"

    # -- protocol ------------------------------------------------------------------------------------------------------

    def _request_json(self, kind, obj, expected):
        return p.loads(self._request(kind, p.dumps(obj), expected))

    def _request(self, kind, body, expected):
        try:
            self._conn.write(kind, body)
            frame = self._conn.read()
        except (OSError, p.BridgeError) as e:
            raise self._server_gone(str(e)) from e
        if frame is None:
            raise self._server_gone("its output ended")
        reply_kind, reply = frame
        if reply_kind == p.ERROR:
            error = p.loads(reply)
            raise p.BridgeError(f"{error['type']}: {error['message']}\n{error.get('traceback', '')}".rstrip())
        if reply_kind != expected:
            raise p.BridgeError(f"malformed reply: expected {p.NAMES[expected]}, got kind 0x{reply_kind:02x}")
        return reply

    def _server_gone(self, reason):
        code = self._process.poll()
        tail = "".join(self._stderr[-20:]).strip()
        return p.BridgeError(f"the environment server ({' '.join(self._process.args)}) failed: {reason}"
                             + (f"; exit code {code}" if code is not None else "") + (f"; stderr:\n{tail}" if tail else ""))

    def _drain_stderr(self):
        for line in iter(self._process.stderr.readline, b""):
            self._stderr.append(line.decode("utf-8", "replace"))
            del self._stderr[:-200]
