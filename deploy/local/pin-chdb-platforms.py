#!/usr/bin/env python3
"""Re-adds lock entries for chdb's other-platform packages after an `npm install`.

chdb lists @chdb/lib-<platform> packages as optional dependencies; the registry this project installs from
serves only the linux-x64 one, so `npm install` leaves the others out of package-lock.json and `npm ci`
then refuses the lock. Entries with os/cpu fields (and no tarball) satisfy `npm ci`, which skips them on
a non-matching platform. Run: python3 deploy/local/pin-chdb-platforms.py
"""
import json
import pathlib

lock_path = pathlib.Path(__file__).resolve().parents[2] / "package-lock.json"
lock = json.loads(lock_path.read_text())
packages = lock["packages"]
version = packages["node_modules/chdb"]["optionalDependencies"]["@chdb/lib-linux-x64-gnu"]
for name, os_name, cpu in [("darwin-arm64", "darwin", "arm64"), ("darwin-x64", "darwin", "x64"), ("linux-arm64-gnu", "linux", "arm64")]:
    entry = {"version": version, "optional": True, "os": [os_name], "cpu": [cpu]}
    if name.endswith("gnu"):
        entry["libc"] = ["glibc"]
    packages.setdefault(f"node_modules/@chdb/lib-{name}", entry)
lock["packages"] = dict(sorted(packages.items(), key=lambda kv: (kv[0] != "", kv[0])))
lock_path.write_text(json.dumps(lock, indent=2) + "\n")
