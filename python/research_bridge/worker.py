"""``python -m research_bridge.worker``: hosts environments and serves them over the bridge protocol on stdin/stdout.

The protocol stream keeps the process's original standard input and output; before any environment is created, file
descriptor 1 is pointed at standard error (and standard input at /dev/null), so output from user code cannot corrupt it.
"""

import importlib
import os
import platform
import struct
import sys
import traceback

import numpy as np

from . import protocol as p
from .spaces import Codec, describe

_RESET_ENTRY = struct.Struct("<IBq")
_U32 = struct.Struct("<I")


def make_env(spec, kwargs, render_mode):
    """A Gymnasium id through ``gymnasium.make`` (render_mode added unless given, as SB3's make_vec_env), or
    ``module.path:callable`` called with the kwargs."""
    module, _, attr = spec.rpartition(":")
    if module and attr.isidentifier():
        factory = getattr(importlib.import_module(module), attr)
        return factory(**kwargs)
    import gymnasium

    if render_mode is not None and "render_mode" not in kwargs:
        try:
            return gymnasium.make(spec, render_mode=render_mode, **kwargs)
        except TypeError:
            pass
    return gymnasium.make(spec, **kwargs)


class EnvError(Exception):
    def __init__(self, index, request):
        super().__init__(index, request)
        self.index = index
        self.request = request


class Server:
    def __init__(self, connection):
        self.conn = connection
        self.envs = []
        self.first_index = 0

    # -- requests ------------------------------------------------------------------------------------------------------

    def hello(self, body):
        hello = p.loads(body)
        if hello.get("protocol") != p.PROTOCOL_VERSION:
            raise p.BridgeError(f"protocol {hello.get('protocol')} requested; this worker speaks {p.PROTOCOL_VERSION}")
        count = int(hello.get("num_envs", 1))
        self.first_index = int(hello.get("first_index", 0))
        spec, kwargs, render_mode = hello["env"], hello.get("kwargs") or {}, hello.get("render_mode")
        for i in range(count):
            try:
                self.envs.append(make_env(spec, dict(kwargs), render_mode))
            except Exception as e:
                raise EnvError(i, "HELLO") from e
        env = self.envs[0]
        observation_space, action_space = describe(env.observation_space), describe(env.action_space)
        # A space without a wire layout is still described (as Unsupported) so the client can name it when it refuses.
        self.obs_codec = _codec(observation_space)
        self.act_codec = _codec(action_space)
        self._layouts = {}
        unwrapped = getattr(env, "unwrapped", env)
        meanings = getattr(unwrapped, "get_action_meanings", None)
        spec_obj = getattr(env, "spec", None)
        ready = {
            "protocol": p.PROTOCOL_VERSION,
            "num_envs": count,
            "observation_space": observation_space,
            "action_space": action_space,
            "env_id": getattr(spec_obj, "id", None) or spec,
            "max_episode_steps": getattr(spec_obj, "max_episode_steps", None),
            "reward_threshold": getattr(spec_obj, "reward_threshold", None),
            "action_meanings": list(meanings()) if callable(meanings) else None,
            "render_fps": (getattr(env, "metadata", None) or {}).get("render_fps"),
            "python": platform.python_version(),
            "numpy": np.__version__,
            "gymnasium": _version("gymnasium"),
        }
        self.conn.write_json(p.READY, ready)

    def reset(self, body):
        (count,) = _U32.unpack_from(body, 0)
        offset = 4
        entries = []
        for _ in range(count):
            index, has_seed, seed = _RESET_ENTRY.unpack_from(body, offset)
            offset += _RESET_ENTRY.size
            entries.append((self._env_index(index), seed if has_seed else None))
        (options_length,) = _U32.unpack_from(body, offset)
        options = p.loads(body[offset + 4: offset + 4 + options_length]) if options_length else None
        layout = self._layout(count)
        infos = bytearray()
        for j, (index, seed) in enumerate(entries):
            try:
                obs, info = self.envs[index].reset(seed=seed, options=options)
                layout.write_obs(j, obs)
            except Exception as e:
                raise EnvError(index, "RESET") from e
            p.encode_info(info, infos)
        self.conn.write(p.OBSERVATIONS, layout.obs_bytes(count), infos)

    def step(self, body):
        autoreset = body[0]
        (count,) = _U32.unpack_from(body, 1)
        indices = np.frombuffer(body, dtype="<u4", count=count, offset=5)
        layout = self._layout(count)
        actions = self.act_codec.read(body, 5 + 4 * count, count)
        rewards, terminated, truncated = layout.rewards, layout.terminated, layout.truncated
        ended = []
        infos = bytearray()
        for j in range(count):
            index = self._env_index(int(indices[j]))
            env = self.envs[index]
            try:
                obs, reward, term, trunc, info = env.step(actions[j])
                rewards[j] = reward
                terminated[j] = 1 if term else 0
                truncated[j] = 1 if trunc else 0
                if autoreset and (term or trunc):
                    layout.write_terminal(len(ended), obs)
                    ended.append(j)
                    obs, _ = env.reset()
                layout.write_obs(j, obs)
            except Exception as e:
                raise EnvError(index, "STEP") from e
            p.encode_info(info, infos)
        terminal = layout.terminal_bytes(ended)
        self.conn.write(p.STEPPED, layout.step_bytes(count), _U32.pack(len(ended)), terminal, infos)

    def render(self, body):
        (index,) = _U32.unpack_from(body, 0)
        index = self._env_index(index)
        try:
            frame = self.envs[index].render()
        except Exception as e:
            raise EnvError(index, "RENDER") from e
        if frame is None:
            self.conn.write(p.FRAME, struct.pack("<III", 0, 0, 0))
            return
        frame = np.ascontiguousarray(frame, dtype=np.uint8)
        if frame.ndim == 2:
            frame = frame[:, :, None]
        height, width, channels = frame.shape
        self.conn.write(p.FRAME, struct.pack("<III", height, width, channels), frame.tobytes())

    def close(self):
        for env in self.envs:
            try:
                env.close()
            except Exception:
                traceback.print_exc()
        self.conn.write(p.CLOSED)

    # -- helpers -------------------------------------------------------------------------------------------------------

    def _env_index(self, index):
        if not 0 <= index < len(self.envs):
            raise p.BridgeError(f"env index {index} is outside 0..{len(self.envs) - 1}")
        return index

    def _layout(self, count):
        if self.obs_codec is None or self.act_codec is None:
            raise p.BridgeError("the environment's spaces have no wire layout (see the READY descriptions)")
        layout = self._layouts.get(count)
        if layout is None:
            layout = self._layouts[count] = Layout(self.obs_codec, count)
        return layout

    def run(self):
        handlers = {p.RESET: self.reset, p.STEP: self.step, p.RENDER: self.render}
        while True:
            frame = self.conn.read()
            if frame is None:
                return 0
            kind, body = frame
            try:
                if kind == p.HELLO:
                    if self.envs:
                        raise p.BridgeError("HELLO was already received")
                    self.hello(body)
                elif kind == p.CLOSE:
                    self.close()
                    return 0
                elif not self.envs:
                    raise p.BridgeError(f"{p.NAMES.get(kind, hex(kind))} before HELLO")
                elif kind in handlers:
                    handlers[kind](body)
                else:
                    raise p.BridgeError(f"unknown request kind 0x{kind:02x}")
            except EnvError as e:
                self._error(e.__cause__, e.index, e.request)
                if e.request == "HELLO":
                    return 1
            except Exception as e:  # a broken request: report it, keep serving
                self._error(e, None, p.NAMES.get(kind, hex(kind)))

    def _error(self, error, index, request):
        self.conn.write_json(p.ERROR, {
            "type": type(error).__name__,
            "message": str(error),
            "traceback": "".join(traceback.format_exception(type(error), error, error.__traceback__)),
            "env_index": None if index is None else self.first_index + index,
            "request": request,
        })


class Layout:
    """Preallocated reply buffers for requests of `count` envs: observations, rewards, flags, terminal observations."""

    def __init__(self, codec, count):
        size = codec.size
        self.size = size
        self.obs_end = count * size
        self.buffer = bytearray(self.obs_end + count * 10)
        self.terminal_buffer = bytearray(count * size)
        self.write_obs = codec.writers(self.buffer, 0, count)
        self.write_terminal = codec.writers(self.terminal_buffer, 0, count)
        self.rewards = np.ndarray((count,), "<f8", buffer=self.buffer, offset=self.obs_end)
        self.terminated = np.ndarray((count,), "u1", buffer=self.buffer, offset=self.obs_end + 8 * count)
        self.truncated = np.ndarray((count,), "u1", buffer=self.buffer, offset=self.obs_end + 9 * count)
        self.view = memoryview(self.buffer)
        self.terminal_view = memoryview(self.terminal_buffer)

    def obs_bytes(self, count):
        return self.view[:self.obs_end]

    def step_bytes(self, count):
        return self.view

    def terminal_bytes(self, ended):
        if not ended:
            return b""
        out = bytearray()
        for k, j in enumerate(ended):
            out += _U32.pack(j)
            out += self.terminal_view[k * self.size:(k + 1) * self.size]
        return out


def _codec(description):
    try:
        return Codec(description)
    except p.BridgeError:
        return None


def _version(module):
    try:
        return importlib.import_module(module).__version__
    except Exception:
        return None


def claim_stdio():
    """Moves the protocol onto private duplicates of stdin/stdout and points fd 0 at /dev/null and fd 1 at stderr, so
    nothing user code prints or reads can touch the stream; returns (in_fd, out_fd), also kept in protocol.SERVER_FDS."""
    in_fd, out_fd = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    p.SERVER_FDS = (in_fd, out_fd)
    return in_fd, out_fd


def main():
    connection = p.Connection(*claim_stdio())
    try:
        code = Server(connection).run()
    except p.BridgeError as e:
        print(f"research_bridge.worker: {e}", file=sys.stderr)
        code = 2
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
