#!/usr/bin/env python3
"""gen-config-repo.py APPS COMMITS [SHARED [EXTRA [GROUP]]]: a `git fast-import` stream of a GitOps config repository on main.

The first commit adds apps/group-GGG/app-NNNNN/{deployment,service,kustomization}.yaml for APPS apps, GROUP apps to a
group directory (default 100, so no directory holds more than a few hundred entries, as real config repositories are
laid out); GROUP 0 puts every app directly under apps/ (apps/app-NNNNN/...: one tree of APPS entries, which git can
only send whole). Plus, with SHARED > 0, apps/shared/deployments.yaml holding SHARED more Deployments, and with
EXTRA > 0, EXTRA ConfigMaps per app: 20,000 apps with EXTRA 7 make XL's 200,000 files in 20,000 app directories (in 200
groups). Each further commit moves one app's image tag, as CI would, until the branch has COMMITS commits.
Deterministic: the same arguments give the same repository. lib.sh's app_manifest names the same paths.
"""
import random
import sys

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {app}
  labels:
    app: {app}
    team: bench
spec:
  replicas: 2
  selector:
    matchLabels:
      app: {app}
  template:
    metadata:
      labels:
        app: {app}
    spec:
      containers:
        - name: web
          image: 127.0.0.1:5000/team/{app}:{tag}
          ports:
            - containerPort: 8080
          resources:
            requests: {{ cpu: 50m, memory: 64Mi }}
            limits: {{ memory: 256Mi }}
          readinessProbe:
            httpGet: {{ path: /healthz, port: 8080 }}
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {app}
spec:
  selector:
    app: {app}
  ports:
    - port: 80
      targetPort: 8080
"""
KUSTOMIZATION = """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
"""
CONFIG_MAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {app}-config-{n}
data:
  setting: "{n}"
"""


def main():
    apps, commits = int(sys.argv[1]), int(sys.argv[2])
    shared = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    extra = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    group = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    rng = random.Random(apps * 100003 + commits)
    out = sys.stdout.buffer
    when = 1_700_000_000

    def blob(path, text):
        data = text.encode()
        out.write(b"M 100644 inline %s\ndata %d\n" % (path.encode(), len(data)) + data + b"\n")

    def commit(message):
        nonlocal when
        when += 60
        msg = message.encode()
        out.write(b"commit refs/heads/main\ncommitter Bench <bench@example.invalid> %d +0000\ndata %d\n" % (when, len(msg)) + msg + b"\n")

    names = [f"app-{i:05d}" for i in range(apps)]
    folders = {app: f"apps/group-{i // group:03d}/{app}" if group else f"apps/{app}" for i, app in enumerate(names)}
    commit(f"Add {apps} apps")
    for app in names:
        blob(f"{folders[app]}/deployment.yaml", DEPLOYMENT.format(app=app, tag="initial"))
        blob(f"{folders[app]}/service.yaml", SERVICE.format(app=app))
        blob(f"{folders[app]}/kustomization.yaml", KUSTOMIZATION)
        for n in range(extra):
            blob(f"{folders[app]}/config-{n}.yaml", CONFIG_MAP.format(app=app, n=n))
    if shared:
        docs = [DEPLOYMENT.format(app=f"shared-{i:02d}", tag="initial") for i in range(shared)]
        blob("apps/shared/deployments.yaml", "---\n".join(docs))
    for n in range(1, commits):
        app = rng.choice(names)
        tag = f"{rng.getrandbits(28):07x}"
        commit(f"Deploy {app}:{tag}")
        blob(f"{folders[app]}/deployment.yaml", DEPLOYMENT.format(app=app, tag=tag))
    out.write(b"done\n")


main()
