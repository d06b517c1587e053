#!/usr/bin/env python3
"""bao-injector side by side with OpenBao Agent (files) and OpenBao Proxy (socket reads).

Run through bench/run.sh. One `bao server -dev` (with a file audit device, to count the requests
that reach OpenBao) serves both sides: the same secrets, the same AppRole, the same bao binary.
Every comparison alternates ours and the peer, so the machine's load hits both alike. Prints one
table: median and spread (min-max) per side, the ratio ours/peer, and the load average.
"""
import argparse
import asyncio
import collections
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, "sidecar", "bin", "bao-injector")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    return open("/proc/loadavg").read().split()[0]


def memory(pid):
    """RSS and USS (Private_Clean + Private_Dirty) in MiB, from /proc/PID/smaps_rollup."""
    fields = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        parts = line.split()
        if len(parts) >= 2 and parts[0].endswith(":") and parts[1].isdigit():
            fields[parts[0][:-1]] = int(parts[1])
    return fields["Rss"] / 1024, (fields["Private_Clean"] + fields["Private_Dirty"]) / 1024


def dirty(pid):
    """Private_Dirty alone, in MiB: memory no other process can share. Private_Clean is mostly
    file pages (the binary, the JDK's modules, a CDS archive) that a second pod on the node running
    the same image would share."""
    for line in open(f"/proc/{pid}/smaps_rollup"):
        if line.startswith("Private_Dirty:"):
            return int(line.split()[1]) / 1024
    return 0.0


def threads(pid):
    return len(os.listdir(f"/proc/{pid}/task"))


class Bao:
    """A dev server with a file audit device; secrets are written over the HTTP API."""

    def __init__(self, work, bao):
        self.work, self.bao = work, bao
        self.port = free_port()
        self.addr = f"http://127.0.0.1:{self.port}"
        self.audit = os.path.join(work, "audit.log")
        self.audit_offset = self.audit_requests = 0
        hcl = os.path.join(work, "server.hcl")
        with open(hcl, "w") as f:
            f.write('audit "file" "bench" {\n  options {\n    file_path = "%s"\n  }\n}\n' % self.audit)
        self.proc = subprocess.Popen(
            [bao, "server", "-dev", "-dev-root-token-id=root",
             f"-dev-listen-address=127.0.0.1:{self.port}", f"-config={hcl}"],
            stdout=open(os.path.join(work, "server.log"), "w"), stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while True:
            try:
                self.api("GET", "sys/health")
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise SystemExit("bench: bao server -dev did not start; see " + work)
                time.sleep(0.05)
        self.api("POST", "sys/auth/approle", {"type": "approle"})
        self.api("PUT", "sys/policies/acl/bench",
                 {"policy": 'path "secret/*" { capabilities = ["read", "list"] }'})
        self.api("POST", "auth/approle/role/bench",
                 {"token_policies": ["bench"], "token_ttl": "1h", "secret_id_num_uses": 0})
        self.role_id = self.api("GET", "auth/approle/role/bench/role-id")["data"]["role_id"]
        self.secret_id = self.api("POST", "auth/approle/role/bench/secret-id")["data"]["secret_id"]

    def api(self, method, path, body=None):
        req = urllib.request.Request(
            f"{self.addr}/v1/{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"X-Vault-Token": "root", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            raw = r.read()
            return json.loads(raw) if raw else None

    def put(self, path, data):
        """`bao kv put secret/PATH ...`, as one KV v2 write over the API."""
        self.api("POST", f"secret/data/{path}", {"data": data})

    def requests(self):
        """Requests OpenBao has received so far (request entries in the audit log)."""
        with open(self.audit, "rb") as f:  # from where the last count stopped: the log grows
            f.seek(self.audit_offset)
            for line in f:
                if not line.endswith(b"\n"):
                    break
                self.audit_offset += len(line)
                if b'"type":"request"' in line[:80]:
                    self.audit_requests += 1
        return self.audit_requests

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Moto:
    """moto's server, a real AWS Secrets Manager API on loopback that takes unsigned requests."""

    def __init__(self, work, binary):
        self.addr = f"http://127.0.0.1:{free_port()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "MOTO_"))}
        self.proc = subprocess.Popen([binary, "-H", "127.0.0.1", "-p", self.addr.rsplit(":", 1)[1]],
                                     env=env, stdout=open(os.path.join(work, "moto.log"), "w"),
                                     stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(self.addr + "/moto-api/", timeout=1).close()
                break
            except Exception:
                if time.time() > deadline or self.proc.poll() is not None:
                    raise SystemExit("bench: moto_server did not start; see " + work)
                time.sleep(0.05)

    def put(self, name, value):
        """CreateSecret, over Secrets Manager's JSON protocol."""
        req = urllib.request.Request(
            self.addr + "/", method="POST",
            data=json.dumps({"Name": name, "SecretString": value}).encode(),
            headers={"X-Amz-Target": "secretsmanager.CreateSecret",
                     "Content-Type": "application/x-amz-json-1.1",
                     "Authorization": "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/"
                                      "secretsmanager/aws4_request, SignedHeaders=host, Signature=0"})
        urllib.request.urlopen(req, timeout=30).close()

    def stop(self):
        self.proc.terminate()
        self.proc.wait(10)


class Secrets:
    """NAMES names over PATHS KV v2 paths: name N<j> is key k<j> of path bench/p<j % PATHS>."""

    def __init__(self, bao, names, paths, value="v0"):
        self.names, self.paths = names, paths
        self.bao = bao
        for p in range(paths):
            bao.put(f"bench/p{p}", self.data(p, value))

    def data(self, p, value):
        return {f"k{j}": f"{value}-{j}" for j in range(p, self.names, self.paths)}

    def ref(self, j):
        return f"bench/p{j % self.paths}", f"k{j}"


class Side:
    """One running process (ours or the peer) and how to tell it is ready."""

    def __init__(self, name, cmd, env, ready, workdir):
        self.name = name
        self.t0 = time.time()
        self.proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(workdir, name + ".log"), "w"))
        self.ready_check = ready

    def wait_ready(self, timeout=60):
        deadline = self.t0 + timeout
        while not self.ready_check():
            if self.proc.poll() is not None:
                raise SystemExit(f"bench: {self.name} exited with {self.proc.returncode}")
            if time.time() > deadline:
                raise SystemExit(f"bench: {self.name} not ready after {timeout} s")
            time.sleep(0.005)
        self.ready_s = time.time() - self.t0
        return self.ready_s

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Bench:
    def __init__(self, args):
        self.args = args
        self.work = tempfile.mkdtemp(prefix="bao-injector-bench.", dir="/dev/shm")
        self.bao_bin = args.bao
        self.bao = Bao(self.work, self.bao_bin)
        self.role = os.path.join(self.work, "role-id")
        self.sid = os.path.join(self.work, "secret-id")
        open(self.role, "w").write(self.bao.role_id)
        open(self.sid, "w").write(self.bao.secret_id)
        self.rows = []
        self.seq = 0
        self.moto = None  # started by stores() when asked for

    def d(self, name):
        self.seq += 1
        path = os.path.join(self.work, f"{name}-{self.seq}")
        os.makedirs(path)
        return path

    # --- ours ---------------------------------------------------------------------------------
    def ours(self, secrets, interval=None, socket_out=False, java_opts=None, direct=None,
             jar_path=None, extra=(), more_env=None):
        d = self.d("ours")
        port = free_port()
        out = os.path.join(d, "secrets.env")
        lines = ["openbao:", f"  address: {self.bao.addr}", "auth:", "  method: approle",
                 f"  role-id-file: {self.role}", f"  secret-id-file: {self.sid}",
                 "  keep-secret-id-file: true"]
        if interval:
            lines += ["refresh:", f"  interval: {interval}"]
        lines.append("secrets:")
        for j in range(secrets.names):
            p, k = secrets.ref(j)
            lines.append(f"  N{j}: secret/{p}#{k}")
        lines += extra  # more top-level blocks (backends:) or names, indented as they go
        lines += ["outputs:", "  http:", f"    address: 127.0.0.1:{port}", "  files:",
                  f"    - path: {out}", "      format: dotenv"]
        sock = os.path.join(d, "s.sock")
        if socket_out:
            lines += ["  socket:", f"    path: {sock}"]
        cfg = os.path.join(d, "sidecar.yaml")
        open(cfg, "w").write("\n".join(lines) + "\n")
        env = dict(os.environ)
        env.pop("BAO_TOKEN", None)
        if java_opts is not None:
            env["JAVA_OPTS"] = java_opts
        if jar_path is not None:  # the launcher's own flags, another build's jar
            env["BAO_INJECTOR_JAR"] = jar_path
        env.update(more_env or {})
        health = f"http://127.0.0.1:{port}/v1/health"

        def ready():
            if not os.path.exists(out):
                return False
            try:
                with urllib.request.urlopen(health, timeout=1) as r:
                    return r.status == 200
            except Exception:
                return False

        cmd = [LAUNCHER, "run", "-c", cfg]
        if direct is not None:  # (java, flags): the JVM without the launcher's defaults
            cmd = [direct[0], *direct[1], "-jar", jar(), "run", "-c", cfg]
        side = Side("ours", cmd, env, ready, d)
        side.file, side.sock = out, sock
        return side

    # --- peers --------------------------------------------------------------------------------
    def auto_auth(self):
        return ('auto_auth {\n  method "approle" {\n    config = {\n'
                f'      role_id_file_path = "{self.role}"\n'
                f'      secret_id_file_path = "{self.sid}"\n'
                '      remove_secret_id_file_after_reading = false\n    }\n  }\n}\n')

    def agent(self, secrets, interval="1s"):
        d = self.d("agent")
        out = os.path.join(d, "secrets.env")
        tpl = os.path.join(d, "secrets.tpl")
        with open(tpl, "w") as f:
            for j in range(secrets.names):
                p, k = secrets.ref(j)
                f.write(f'N{j}=\'{{{{ with secret "secret/data/{p}" }}}}'
                        f'{{{{ .Data.data.{k} }}}}{{{{ end }}}}\'\n')
        hcl = os.path.join(d, "agent.hcl")
        with open(hcl, "w") as f:
            f.write(f'vault {{\n  address = "{self.bao.addr}"\n}}\n' + self.auto_auth())
            f.write(f'template_config {{\n  static_secret_render_interval = "{interval}"\n}}\n')
            f.write(f'template {{\n  source = "{tpl}"\n  destination = "{out}"\n}}\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}
        side = Side("agent", [self.bao_bin, "agent", "-config", hcl], env,
                    lambda: os.path.exists(out), d)
        side.file = out
        return side

    def proxy(self):
        d = self.d("proxy")
        sock = os.path.join(d, "p.sock")
        hcl = os.path.join(d, "proxy.hcl")
        with open(hcl, "w") as f:
            f.write(f'vault {{\n  address = "{self.bao.addr}"\n}}\n' + self.auto_auth())
            f.write('api_proxy {\n  use_auto_auth_token = "force"\n}\n')
            f.write(f'listener "unix" {{\n  address = "{sock}"\n  tls_disable = true\n}}\n')
        env = {k: v for k, v in os.environ.items() if not k.startswith(("BAO_", "VAULT_"))}

        def ready():
            if not os.path.exists(sock):
                return False
            try:
                return asyncio.run(one_get(sock, "/v1/secret/data/bench/p0")) == 200
            except Exception:
                return False

        side = Side("proxy", [self.bao_bin, "proxy", "-config", hcl], env, ready, d)
        side.sock = sock
        return side

    def row(self, metric, ours, peer, unit, goal="", better="lower"):
        self.rows.append((metric, ours, peer, unit, goal, better, loadavg()))
        print(f"  {metric}: ours {fmt(ours)} {peer_name(peer)} {fmt(peer)} {unit}", flush=True)

    # --- measurements -------------------------------------------------------------------------
    def alternate(self, rounds, settle, make, first_round=None):
        """Starts one process per side (key -> factory) each round, in a rotating order, each
        ready before the next starts; measures all of them `settle` s after the first started.
        Returns KEY_ready/_rss/_uss/_thr/_dirty lists; first_round(sides) sees round 0 running."""
        keys = list(make)
        res = {f"{k}_{m}": [] for k in keys for m in ("ready", "rss", "uss", "thr", "dirty")}
        for r in range(rounds):
            order = keys[r % len(keys):] + keys[:r % len(keys)]
            sides = {}
            for key in order:
                s = make[key]()
                s.wait_ready()
                sides[key] = s
            first = sides[order[0]]
            time.sleep(max(0.0, first.t0 + settle - time.time()))
            for key, s in sides.items():
                rss, uss = memory(s.proc.pid)
                res[key + "_rss"].append(rss)
                res[key + "_uss"].append(uss)
                res[key + "_ready"].append(s.ready_s * 1000)
                res[key + "_thr"].append(threads(s.proc.pid))
                res[key + "_dirty"].append(dirty(s.proc.pid))
            if r == 0 and first_round:
                first_round(sides)
            for s in sides.values():
                s.stop()
        return res

    def footprint_and_startup(self, rounds, settle):
        print(f"footprint and startup: {rounds} rounds, 20 names / 10 paths, {settle} s idle",
              flush=True)
        secrets = Secrets(self.bao, 20, 10)

        def thread_names(sides):
            names = {}
            for t in os.listdir(f"/proc/{sides['o'].proc.pid}/task"):
                n = open(f"/proc/{sides['o'].proc.pid}/task/{t}/comm").read().strip()
                names[n] = names.get(n, 0) + 1
            print("  our threads:", ", ".join(f"{k} x{v}" if v > 1 else k
                                              for k, v in sorted(names.items())), flush=True)

        res = self.alternate(rounds, settle, {"o": lambda: self.ours(secrets, socket_out=True),
                                              "a": lambda: self.agent(secrets)}, thread_names)
        self.row(f"RSS after {settle} s", res["o_rss"], res["a_rss"], "MiB", "<= 1.0x")
        self.row(f"USS after {settle} s", res["o_uss"], res["a_uss"], "MiB", "<= 2.0x")
        self.row(f"Private_Dirty after {settle} s", res["o_dirty"], res["a_dirty"], "MiB")
        self.row("threads", res["o_thr"], res["a_thr"], "")
        self.row("start -> files + health 200", res["o_ready"], res["a_ready"], "ms", "<= 3x")
        floor = []
        hello = os.path.join(self.work, "Hello.java")
        open(hello, "w").write("class Hello { public static void main(String[] a) {} }\n")
        subprocess.run(["javac", "-d", self.work, hello], check=True)
        for _ in range(rounds):
            t = time.time()
            subprocess.run([shutil.which("java"), *SHIPPED, "-cp", self.work, "Hello"], check=True)
            floor.append((time.time() - t) * 1000)
        self.row("JVM floor: hello world, same flags", floor, None, "ms")

    def stores(self, rounds, settle, before, moto=None):
        """An OpenBao-only config on this tree's jar (ours) and on `before`, another build's jar
        (peer), alternating: what the other stores cost a sidecar that uses none of them. With
        `moto` (moto_server's path), a third side adds one aws: name (this tree's jar and
        backends/aws/target's) and its rows compare it to OpenBao-only on this tree."""
        print(f"stores: {rounds} rounds, OpenBao-only, 20 names / 10 paths, {settle} s idle, "
              f"peer = {before}; STORE_CLASSES = {', '.join(STORE_CLASSES)}", flush=True)
        secrets = Secrets(self.bao, 20, 10)
        make = {"o": lambda **kw: self.ours(secrets, socket_out=True, **kw),
                "a": lambda **kw: self.ours(secrets, socket_out=True, jar_path=before, **kw)}
        if moto:
            self.moto = Moto(self.work, moto)
            self.moto.put("bench/db", json.dumps({"password": "v0-aws"}))
            aws = ["  A0: aws:bench/db#password", "backends:", "  aws:",
                   "    type: aws-secrets-manager", "    region: us-east-1",
                   f"    endpoint: {self.moto.addr}"]
            keys = {"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench"}
            make["w"] = lambda **kw: self.ours(secrets, socket_out=True, extra=aws,
                                               more_env=keys, **kw)
        res = self.alternate(rounds, settle, make)
        self.row(f"OpenBao-only: RSS after {settle} s", res["o_rss"], res["a_rss"], "MiB")
        self.row(f"OpenBao-only: USS after {settle} s", res["o_uss"], res["a_uss"], "MiB")
        self.row("OpenBao-only: threads", res["o_thr"], res["a_thr"], "")
        self.row("OpenBao-only: start -> files + health 200", res["o_ready"], res["a_ready"], "ms")
        mib = 1024 * 1024
        self.row("sidecar jar", [os.path.getsize(jar()) / mib], [os.path.getsize(before) / mib],
                 "MiB")
        if moto:
            for m, label, unit in (("rss", f"RSS after {settle} s", "MiB"),
                                   ("uss", f"USS after {settle} s", "MiB"), ("thr", "threads", ""),
                                   ("ready", "start -> files + health 200", "ms")):
                self.row(f"+ one aws: name (peer: OpenBao-only, this tree): {label}",
                         res[f"w_{m}"], res[f"o_{m}"], unit)
        # one more start of each, logging every class the JVM loads until it has exited
        logs = {k: os.path.join(self.work, f"classes-{k}.log") for k in make}
        sides = {k: make[k](java_opts=f"-Xlog:class+load:file={logs[k]}") for k in make}
        for s in sides.values():
            s.wait_ready()
        time.sleep(max(0.0, min(s.t0 for s in sides.values()) + settle - time.time()))
        for s in sides.values():
            s.stop()
        counts = {k: loaded_classes(logs[k]) for k in make}
        self.row("OpenBao-only: classes loaded (start, idle, SIGTERM)", [len(counts["o"][0])],
                 [len(counts["a"][0])], "")
        self.row("OpenBao-only: of them other stores' (STORE_CLASSES)",
                 [len(counts["o"][1])], [len(counts["a"][1])], "", "0")
        for c in counts["o"][1]:
            print("  loaded needlessly:", c, flush=True)
        # a lambda's or hidden class's name holds a number and an address that differ every run
        same = {k: collections.Counter(re.sub(r"(\$\$Lambda)\$\d+|/0x[0-9a-f]+", r"\1", c)
                                       for c in counts[k][0]) for k in ("o", "a")}
        for k, other in (("o", "a"), ("a", "o")):
            only = collections.Counter()
            for c, n in (same[k] - same[other]).items():
                only[c.rsplit(".", 1)[0]] += n
            print(f"  classes only {'ours' if k == 'o' else 'peer'} loaded, by package:",
                  ", ".join(f"{p} {n}" for p, n in sorted(only.items())) or "none", flush=True)
        if moto:
            self.row("+ one aws: name: classes loaded / of them STORE_CLASSES",
                     (len(counts["w"][0]), len(counts["w"][1])), None, "")

    def socket_reads(self, duration, rate_duration):
        print(f"socket reads: closed loop {duration} s per level, {rate_duration} s at 1,000/s",
              flush=True)
        secrets = Secrets(self.bao, 20, 10)
        results = {}
        for name in ("ours", "proxy") if self.seq % 2 == 0 else ("proxy", "ours"):
            s = self.ours(secrets, socket_out=True) if name == "ours" else self.proxy()
            s.wait_ready()
            path = "/v1/secrets/N0" if name == "ours" else "/v1/secret/data/bench/p0"
            asyncio.run(closed_loop(s.sock, path, 4, 1.0))  # warm up both alike
            r = {}
            for clients in (1, 4, 16):
                before = self.bao.requests()
                n = asyncio.run(closed_loop(s.sock, path, clients, duration))
                reached = self.bao.requests() - before
                r[clients] = n / duration
                r[f"reach{clients}"] = reached / max(1, n)
            r["lat"] = asyncio.run(fixed_rate(s.sock, path, 1000, rate_duration, 4))
            results[name] = r
            s.stop()
        o, p = results["ours"], results["proxy"]
        for c in (1, 4, 16):
            self.row(f"socket req/s, {c} client(s)", [o[c]], [p[c]], "req/s", ">= 5x",
                     better="higher")
        for q in ("p50", "p99", "p999"):
            self.row(f"latency {q} at 1,000 req/s", [o["lat"][q]], [p["lat"][q]], "ms",
                     "p99 <= 1 ms" if q == "p99" else "")
        self.row("achieved rate (fixed 1,000/s)", [o["lat"]["rate"]], [p["lat"]["rate"]], "req/s")
        self.row("OpenBao requests per client read", [o["reach16"]], [p["reach16"]], "")

    def poller(self, sock):
        """A JVM with the agent attached to ours' socket, printing `millis value` each time
        System.getenv("N0") changes (Poll.java, compiled once); bounded by its own deadline."""
        if not os.path.exists(os.path.join(self.work, "Poll.class")):
            src = os.path.join(self.work, "Poll.java")
            open(src, "w").write(POLL_JAVA)
            subprocess.run(["javac", "-d", self.work, src], check=True)
        proc = subprocess.Popen(
            [shutil.which("java"), *SHIPPED, f"-javaagent:{agent_jar()}=socket={sock}",
             "-cp", self.work, "Poll", "N0", "900"],
            stdout=subprocess.PIPE, stderr=open(os.path.join(self.work, "poll.log"), "a"),
            text=True)
        seen = {}
        ready = threading.Event()

        def read():
            for line in proc.stdout:
                ms, _, value = line.rstrip("\n").partition(" ")
                seen.setdefault(value, int(ms) / 1000)
                ready.set()

        threading.Thread(target=read, daemon=True).start()
        if not ready.wait(60):
            proc.kill()
            raise SystemExit("bench: the agent-attached JVM printed nothing in 60 s")
        return proc, seen

    def rotate_and_wait(self, secrets, s, seen, value, t0_hook=None, timeout=120):
        """One `kv put` of path p0, then the time until the new N0 is in the file and (when a
        poller runs) in the attached JVM's System.getenv; t0_hook runs right after the put."""
        want = f"N0='{value}-0'".encode()
        t0 = time.time()
        self.bao.put("bench/p0", secrets.data(0, value))
        extra = t0_hook() if t0_hook else None
        t_file = None
        while t_file is None or (seen is not None and f"{value}-0" not in seen):
            if t_file is None:
                try:
                    if want in open(s.file, "rb").read():
                        t_file = time.time()
                except FileNotFoundError:
                    pass
            if time.time() - t0 > timeout:
                raise SystemExit(f"bench: {s.name} never showed the new value")
            time.sleep(0.002)
        t_env = seen[f"{value}-0"] if seen is not None else None
        return ((t_file - t0) * 1000, None if t_env is None else (t_env - t0) * 1000, extra)

    def propagation(self, samples, default_samples, refresh_samples):
        print(f"propagation: {samples} writes per side at 1 s, {default_samples} at ours' "
              f"default 30 s, {refresh_samples} with `bao-injector refresh`", flush=True)
        secrets = Secrets(self.bao, 20, 10)
        out = {}
        for name, interval, n in (("ours", "1s", samples), ("agent", "1s", samples),
                                  ("ours", None, default_samples)):
            if n == 0:
                continue
            if name == "ours":
                s = self.ours(secrets, interval=interval, socket_out=True)
            else:
                s = self.agent(secrets)
            s.wait_ready()
            poll, seen = self.poller(s.sock) if name == "ours" else (None, None)
            files, envs = [], []
            try:
                for i in range(n):
                    f, e, _ = self.rotate_and_wait(secrets, s, seen, f"prop{self.seq}x{i}")
                    files.append(f)
                    if e is not None:
                        envs.append(e)
                    time.sleep(0.3 + (i % 3) * 0.23)  # writes at different phases of the interval
            finally:
                if poll:
                    poll.kill()
                    poll.wait()
                s.stop()
            out[(name, interval)] = (files, envs)
        (of, oe), (af, _) = out[("ours", "1s")], out[("agent", "1s")]
        tag = f"N={len(of)}" + (", p99 = max" if len(of) < 100 else "")
        for q in (50, 99):
            self.row(f"propagation at 1 s, file, p{q} ({tag})", [pct(of, q)], [pct(af, q)], "ms",
                     "p99 <= 1500" if q == 99 else "")
        for q in (50, 99):
            self.row(f"propagation at 1 s, System.getenv of an agent JVM, p{q} ({tag})",
                     [pct(oe, q)], [pct(af, q)], "ms", "p99 <= 1500" if q == 99 else "")
        if ("ours", None) in out:
            df, de = out[("ours", None)]
            for label, v in (("file", df), ("System.getenv", de)):
                self.row(f"propagation at ours' default 30 s, {label}, p50 / p99 (N={len(v)})",
                         (pct(v, 50), pct(v, 99)), None, "ms", "p99 <= 30500")
        if refresh_samples:
            self.refresh_now(secrets, refresh_samples)

    def refresh_now(self, secrets, n):
        """`kv put`, then at once `bao-injector refresh` (a JVM of its own) or a bare
        POST /v1/refresh: time until the command returns and until the file and getenv have it."""
        s = self.ours(secrets, socket_out=True)  # the 30 s default: only the refresh is fast
        s.wait_ready()
        poll, seen = self.poller(s.sock)
        res = {"cli": [], "cli_file": [], "cli_env": [], "post": [], "post_file": [],
               "post_env": []}
        env = dict(os.environ)
        env.pop("BAO_TOKEN", None)
        try:
            for i in range(n):
                for how in ("cli", "post"):
                    t0 = time.time()
                    if how == "cli":
                        hook = lambda: subprocess.run(
                            [LAUNCHER, "refresh", "--socket", s.sock], env=env, check=True,
                            stdout=subprocess.DEVNULL) and time.time()
                    else:
                        hook = lambda: asyncio.run(one_get(s.sock, "/v1/refresh", "POST")) \
                            and time.time()
                    f, e, t_ret = self.rotate_and_wait(secrets, s, seen, f"now{self.seq}{how}{i}",
                                                       hook, timeout=20)
                    res[how].append((t_ret - t0) * 1000)
                    res[how + "_file"].append(f)
                    res[how + "_env"].append(e)
                    time.sleep(1.1)  # forced rounds are rate-limited to one a second
        finally:
            poll.kill()
            poll.wait()
            s.stop()
        for how, label in (("cli", "`bao-injector refresh` (own JVM)"), ("post", "POST /v1/refresh")):
            for what, key in (("returns", how), ("file", how + "_file"),
                              ("System.getenv", how + "_env")):
                v = res[key]
                self.row(f"kv put + {label} -> {what}, p50 / p99 (N={len(v)})",
                         (pct(v, 50), pct(v, 99)), None, "ms")

    def rotations(self, window):
        """Ours and the agent side by side at 1 s freshness while path p0 changes once a
        second for WINDOW seconds; then RSS/USS of both."""
        print(f"footprint after {window} s of rotations (one put per second, 1 s freshness)",
              flush=True)
        secrets = Secrets(self.bao, 20, 10)
        sides = [self.ours(secrets, interval="1s", socket_out=True), self.agent(secrets)]
        for s in sides:
            s.wait_ready()
        t0 = time.time()
        i = 0
        while time.time() - t0 < window:
            self.bao.put("bench/p0", secrets.data(0, f"rot{i}"))
            i += 1
            time.sleep(max(0.0, t0 + i - time.time()))
        want = f"N0='rot{i - 1}-0'".encode()
        for s in sides:  # both saw the rotations, not a stale file
            deadline = time.time() + 10
            while want not in open(s.file, "rb").read() and time.time() < deadline:
                time.sleep(0.01)
        (orss, ouss), (arss, auss) = memory(sides[0].proc.pid), memory(sides[1].proc.pid)
        for s in sides:
            s.stop()
        self.row(f"RSS after {window} s of rotations ({i} puts)", [orss], [arss], "MiB", "<= 1.0x")
        self.row(f"USS after {window} s of rotations ({i} puts)", [ouss], [auss], "MiB", "<= 2.0x")

    def openbao_load(self, window, sizes):
        print(f"OpenBao load: {window} s window at 1 s freshness", flush=True)
        for names, paths in sizes:
            secrets = Secrets(self.bao, names, paths)
            res = {}
            for name in ("ours", "agent") if names % 2 == 0 else ("agent", "ours"):
                s = self.ours(secrets, interval="1s") if name == "ours" else self.agent(secrets)
                s.wait_ready(120)
                time.sleep(2)
                before = self.bao.requests()
                time.sleep(window)
                res[name] = (self.bao.requests() - before) / window
                s.stop()
            self.row(f"OpenBao req/s, {names} names / {paths} paths", [res["ours"]],
                     [res["agent"]], "req/s", "<= 1.0x")

    def scale(self, sizes, per_path, window):
        """Ours only, at 1 s refresh: NAMES names over NAMES/PER_PATH paths. CPU per round is
        utime+stime over WINDOW seconds divided by the full rounds in it (OpenBao reads counted
        by the audit device / paths)."""
        print(f"scale: ours only, 1 s refresh, {window} s window", flush=True)
        for names in sizes:
            for k in per_path:
                paths = max(1, names // k)
                t = time.time()
                secrets = Secrets(self.bao, names, paths)
                print(f"  {names} names / {paths} paths written in {time.time() - t:.0f} s",
                      flush=True)
                s = self.ours(secrets, interval="1s")
                try:
                    s.wait_ready(300)
                except SystemExit as e:  # say so in the table, keep the other rows
                    print(f"  scale {names} names: {e}", flush=True)
                    s.stop()
                    continue
                time.sleep(2)
                q0, c0, w0 = self.bao.requests(), cpu(s.proc.pid), time.time()
                time.sleep(window)
                q1, c1, w1 = self.bao.requests(), cpu(s.proc.pid), time.time()
                rss, uss = memory(s.proc.pid)
                s.stop()
                # a full round reads every path once; partial rounds (one path's own wake-up)
                # make /metrics' round counter no measure of work, the reads at the server are
                full = max(1e-9, (q1 - q0) / paths)
                self.row(f"scale {names} names / {paths} paths: ready ms / RSS / USS MiB / "
                         f"CPU ms per full round / full rounds per s",
                         (s.ready_s * 1000, rss, uss, (c1 - c0) * 1000 / full, full / (w1 - w0)),
                         None, "")

    def flags(self, rounds, settle):
        """Each JVM flag's effect: the sidecar started straight from java with a flag set, idle,
        then measured; every variant runs in every round, in a rotating order."""
        secrets = Secrets(self.bao, 20, 10)
        def train(java, v, how, flag, suffix):
            path = os.path.join(self.work, f"ours-{v}-{how}{suffix}")
            opts = SHIPPED + [flag + path, "-Xlog:cds=off", "-Xlog:aot=off" if v != "17" else
                              "-Xlog:cds=off"]
            if how == "check":
                subprocess.run([java, *opts, "-jar", jar(), "check", "-c",
                                os.path.join(self.work, "check.yaml")], capture_output=True)
            else:
                t = self.ours(secrets, socket_out=True, direct=(java, opts))
                t.wait_ready()
                asyncio.run(one_get(t.sock, "/v1/secrets/N0"))
                t.stop()
            if not os.path.exists(path):
                print(f"flags: no archive {path}", file=sys.stderr)
                return None
            return path

        variants = flag_variants(self.work, train)
        print(f"flags: {len(variants)} variants x {rounds} rounds, {settle} s idle", flush=True)
        res = {name: [] for name, _, _ in variants}
        for r in range(rounds):
            order = variants[r % len(variants):] + variants[:r % len(variants)]
            running = []
            for name, java, flags in order:
                s = self.ours(secrets, socket_out=True, direct=(java, flags))
                s.wait_ready()
                running.append((name, s))
            time.sleep(max(0.0, running[-1][1].t0 + settle - time.time()))
            for name, s in running:
                rss, uss = memory(s.proc.pid)
                res[name].append((s.ready_s * 1000, rss, uss, threads(s.proc.pid)))
                s.stop()
        print("\n| JVM flags | ready ms | RSS MiB | USS MiB | threads |\n|---|---|---|---|---|")
        for name, _, _ in variants:
            cols = list(zip(*res[name]))
            print(f"| {name} | " + " | ".join(fmt(list(c)) for c in cols) + " |")

    def close(self):
        self.bao.stop()
        if self.moto:
            self.moto.stop()
        shutil.rmtree(self.work, ignore_errors=True)


SHIPPED = ["-Xms8m", "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
           "-XX:CICompilerCount=1", "-XX:ReservedCodeCacheSize=16m", "-XX:MaxMetaspaceSize=128m",
           "-XX:MaxDirectMemorySize=32m", "-Xss512k", "-XX:+ExitOnOutOfMemoryError"]


# classes an OpenBao-only sidecar must not load: the cloud SDKs, the built-in stores' code, the
# loader of the stores' jars
STORE_CLASSES = ("software.amazon.", "com.google.", "io.baoinjector.sidecar.backend.infisical.",
                 "io.baoinjector.sidecar.backend.BackendJars",
                 "io.baoinjector.sidecar.backend.FileBackend")


def loaded_classes(log):
    """(the classes -Xlog:class+load logged, the STORE_CLASSES among them)."""
    names = [line.split("[class,load] ", 1)[1].split(" ", 1)[0] for line in open(log)
             if "[class,load] " in line]
    return names, [n for n in names if n.startswith(STORE_CLASSES)]


def jar():
    import glob
    return sorted(glob.glob(os.path.join(ROOT, "sidecar/target/bao-injector-sidecar-*-all.jar")))[-1]


def agent_jar():
    import glob
    found = sorted(glob.glob(os.path.join(ROOT, "agent/target/bao-injector-agent*.jar")))
    found = [f for f in found if not f.endswith(("-sources.jar", "-javadoc.jar"))]
    if not found:
        raise SystemExit("bench: no agent jar; ./mvnw -o -q -pl agent,sidecar -am package -DskipTests")
    return found[-1]


# polls System.getenv(NAME) every millisecond until the deadline; one line per new value
POLL_JAVA = """
class Poll {
  public static void main(String[] a) throws Exception {
    long end = System.currentTimeMillis() + Long.parseLong(a[1]) * 1000;
    String last = null;
    while (System.currentTimeMillis() < end) {
      String v = System.getenv(a[0]);
      if (v != null && !v.equals(last)) {
        System.out.println(System.currentTimeMillis() + " " + v);
        System.out.flush();
        last = v;
      }
      Thread.sleep(1);
    }
  }
}
"""


def pct(values, q):
    """Nearest-rank percentile: with fewer than 100 values p99 is the maximum."""
    v = sorted(values)
    return v[max(0, -(-q * len(v) // 100) - 1)]


def without(*prefixes):
    return [f for f in SHIPPED if not f.startswith(prefixes)]


def flag_variants(work, train):
    """(name, java, flags). train(java, version, command, flag, suffix) makes an archive first,
    by a `check` (what an image build can run) or a whole `run` until SIGTERM."""
    j17 = shutil.which("java")
    out = [("JVM defaults (no flags)", j17, []),
           ("shipped", j17, SHIPPED),
           ("shipped, default heap", j17, without("-Xms", "-Xmx")),
           ("shipped, G1 instead of Serial", j17, without("-XX:+UseSerialGC")),
           ("shipped, C2 (no TieredStopAtLevel/CICompilerCount)", j17,
            without("-XX:TieredStopAtLevel", "-XX:CICompilerCount")),
           ("shipped, default code cache", j17, without("-XX:ReservedCodeCacheSize")),
           ("shipped, default -Xss", j17, without("-Xss"))]
    j25 = os.environ.get("BENCH_JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64") + "/bin/java"
    for java, v in ((j17, "17"), (j25, "25")):
        if not os.path.exists(java):
            continue
        if v != "17":
            out.append((f"shipped on JDK {v}, no archive", java, SHIPPED))
        for how in ("check", "run"):
            jsa = train(java, v, how, "-XX:ArchiveClassesAtExit=", ".jsa")
            if jsa:
                out.append((f"shipped on JDK {v} + CDS archive from `{how}`", java,
                            SHIPPED + [f"-XX:SharedArchiveFile={jsa}", "-Xlog:cds=off"]))
        if v == "25":
            aot = train(java, v, "run", "-XX:AOTCacheOutput=", ".aot")
            if aot:
                out.append(("shipped on JDK 25 + AOT cache from `run`", java,
                            SHIPPED + [f"-XX:AOTCache={aot}", "-Xlog:cds=off", "-Xlog:aot=off"]))
    return out


def cpu(pid):
    f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


# --- the load generator: HTTP/1.1 keep-alive over a Unix socket ---------------------------------
async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = None
    chunked = False
    for line in head.split(b"\r\n")[1:]:
        k, _, v = line.partition(b":")
        k = k.strip().lower()
        if k == b"content-length":
            length = int(v)
        elif k == b"transfer-encoding" and b"chunked" in v.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    elif length:
        await reader.readexactly(length)
    return status


def request(path, method="GET"):
    body = "Content-Length: 0\r\n" if method == "POST" else ""
    return f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n{body}\r\n".encode()


async def one_get(sock, path, method="GET"):
    r, w = await asyncio.open_unix_connection(sock)
    w.write(request(path, method))
    status = await read_response(r)
    w.close()
    return status


async def closed_loop(sock, path, clients, duration):
    req = request(path)
    stop = time.perf_counter() + duration
    counts = []

    async def client():
        r, w = await asyncio.open_unix_connection(sock)
        n = 0
        while time.perf_counter() < stop:
            w.write(req)
            if await read_response(r) != 200:
                raise SystemExit("bench: a read failed")
            n += 1
        w.close()
        counts.append(n)

    await asyncio.gather(*(client() for _ in range(clients)))
    return sum(counts)


async def fixed_rate(sock, path, rate, duration, conns):
    """Open loop: request i is due at start + i/rate; latency counts from when it was due, so a
    stall is not hidden by sending less (no coordinated omission)."""
    req = request(path)
    lat = []
    per = rate / conns
    start = time.perf_counter() + 0.05

    async def conn(c):
        r, w = await asyncio.open_unix_connection(sock)
        i = 0
        total = int(per * duration)
        while i < total:
            due = start + (i + c / conns) / per
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            w.write(req)
            await read_response(r)
            lat.append((time.perf_counter() - due) * 1000)
            i += 1
        w.close()

    await asyncio.gather(*(conn(c) for c in range(conns)))
    lat.sort()
    q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))]
    return {"p50": q(0.50), "p99": q(0.99), "p999": q(0.999),
            "rate": len(lat) / (time.perf_counter() - start)}


# --- the table ----------------------------------------------------------------------------------
def num(x):
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.3g}"


def fmt(v):
    if v is None:
        return "-"
    if isinstance(v, tuple):  # several figures of one run, not samples
        return " / ".join(num(x) for x in v)
    if len(v) == 1:
        return num(v[0])
    return f"{num(statistics.median(v))} ({num(min(v))}-{num(max(v))})"


def peer_name(v):
    return "peer" if v is not None else ""


def machine(bao_bin):
    cpu_name = "?"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu_name = line.split(":", 1)[1].strip()
            break
    java = subprocess.run([os.environ.get("JAVA_HOME", "") + "/bin/java"
                           if os.environ.get("JAVA_HOME") else "java", "-version"],
                          capture_output=True, text=True).stderr.splitlines()[0]
    bao_v = subprocess.run([bao_bin, "version"], capture_output=True, text=True).stdout.strip()
    return (f"{os.cpu_count()} cores ({cpu_name}), {platform.system()} {platform.release()}, "
            f"{java}, {bao_v}")


def table(rows, header):
    print("\n" + header)
    print("| metric | bao-injector | peer | ratio | goal | load |")
    print("|---|---|---|---|---|---|")
    for metric, o, p, unit, goal, better, load in rows:
        if p is None:
            print(f"| {metric} | {fmt(o)} {unit} | - | - | {goal} | {load} |")
            continue
        mo, mp = statistics.median(o), statistics.median(p)
        ratio = "-" if mo == mp == 0 else f"{mo / mp:.2f}x" if mp else "inf"
        print(f"| {metric} | {fmt(o)} {unit} | {fmt(p)} {unit} | {ratio} | {goal} | {load} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--scale", action="store_true", help="also 1k/5k/10k names (minutes)")
    ap.add_argument("--bao", required=True)
    ap.add_argument("--only", default="footprint,socket,propagation,load,rotations,scale")
    ap.add_argument("--before", help="for --only stores: the sidecar jar of another build")
    ap.add_argument("--moto", help="for --only stores: moto_server's path (scripts/ensure-moto.sh);"
                    " adds a config with one aws: name")
    args = ap.parse_args()
    only = args.only.split(",")
    if "stores" in only and not args.before:
        ap.error("--only stores needs --before JAR (the peer: another build's sidecar jar)")
    t0 = time.time()
    start_load = open("/proc/loadavg").read().split()[:3]
    b = Bench(args)
    try:
        if "flags" in only:
            open(os.path.join(b.work, "check.yaml"), "w").write(
                f"openbao:\n  address: {b.bao.addr}\nauth:\n  method: approle\n"
                f"  role-id-file: {b.role}\n  secret-id-file: {b.sid}\n"
                "secrets:\n  A: secret/bench/p0#k0\n")
            b.flags(2 if args.quick else 3, 30)
        if "footprint" in only:
            b.footprint_and_startup(2 if args.quick else 5, 30)
        if "stores" in only:
            b.stores(2 if args.quick else 5, 30, os.path.abspath(args.before), args.moto)
        if "socket" in only:
            b.socket_reads(3 if args.quick else 10, 10 if args.quick else 30)
        if "propagation" in only:
            b.propagation(6 if args.quick else 40, 1 if args.quick else 6, 2 if args.quick else 10)
        if "load" in only:
            b.openbao_load(5 if args.quick else 20, [(10, 5), (1000, 5), (1000, 500)])
        if "rotations" in only:
            b.rotations(20 if args.quick else 300)
        if "scale" in only or args.scale:
            if args.quick:
                b.scale([1000, 5000, 10000], [10], 5)
            else:
                b.scale([1000, 5000, 10000], [10, 1], 15)
    finally:
        b.close()
    end_load = open("/proc/loadavg").read().split()[:3]
    header = (f"bench/run.sh{' --quick' if args.quick else ''}: "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(t0))}, "
              f"{time.time() - t0:.0f} s; {machine(args.bao)}; load average "
              f"{'/'.join(start_load)} at start, {'/'.join(end_load)} at end. Peer: bao agent "
              "(files, 1 s static_secret_render_interval), bao proxy (socket)"
              f"{f', --before {args.before} (stores)' if args.before else ''}. Medians, "
              "(min-max) over rounds; ratio = ours / peer.")
    table(b.rows, header)


if __name__ == "__main__":
    main()
