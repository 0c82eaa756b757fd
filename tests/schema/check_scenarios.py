#!/usr/bin/env python3
"""Every scenario of the repository against the declared keys.

  check_scenarios.py validate OUTAGESIM ROOT   every scenario loads (`outagesim validate`): a key a
                                              section reads but nobody declared is rejected there
  check_scenarios.py schema OUTAGESIM ROOT OUT every scenario validates against `outagesim schema`
                                              (python3-jsonschema, draft 2020-12), and broken copies
                                              (unknown key, wrong type, bad duration) do not

Exit 0 on success, 1 on failure, 77 (skipped) when python3-jsonschema is absent.
"""
import copy
import glob
import json
import os
import subprocess
import sys


def scenarios(root):
    files = sorted(glob.glob(os.path.join(root, "scenarios", "**", "*.yaml"), recursive=True))
    # Scenarios of the compare tests (broken.yaml is meant to fail validation).
    files += sorted(f for f in glob.glob(os.path.join(root, "tests", "compare", "*.yaml"))
                    if not f.endswith(("broken.yaml", ".signals.yaml")))
    return files


def run_validate(outagesim, root):
    failed = 0
    for f in scenarios(root):
        p = subprocess.run([outagesim, "validate", f], capture_output=True, text=True)
        if p.returncode != 0 and "shared/data/" in p.stderr and not os.path.isdir(
                os.path.join(root, "..", "shared", "data")):
            # Scenarios reading ../shared data (CAIDA graphs) are skipped where it is absent.
            print("skip (../shared/data absent):", os.path.relpath(f, root))
        elif p.returncode != 0:
            failed += 1
            print("FAIL", os.path.relpath(f, root), "\n", p.stderr)
        else:
            print("ok  ", os.path.relpath(f, root))
    return 1 if failed else 0


def yaml_loader():
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    # A YAML editor reads 2021-10-04T15:39:00Z as a string (YAML 1.2 core schema): keep it one.
    Loader.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return lambda text: yaml.load(text, Loader=Loader)


def run_schema(outagesim, root, out):
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed: skipped (apt-get install python3-jsonschema)")
        return 77
    load = yaml_loader()
    p = subprocess.run([outagesim, "schema"], capture_output=True, text=True, check=True)
    schema = json.loads(p.stdout)
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(p.stdout)
    validator_class = jsonschema.Draft202012Validator
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failed = 0
    docs = {}
    for f in scenarios(root):
        doc = load(open(f, encoding="utf-8").read())
        docs[f] = doc
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        if errors:
            failed += 1
            print("FAIL", os.path.relpath(f, root))
            for e in errors[:5]:
                # The deepest cause (anyOf hides it).
                while e.context:
                    e = max(e.context, key=lambda c: len(c.absolute_path))
                print("   at", "/".join(str(x) for x in e.absolute_path), ":", e.message[:300])
        else:
            print("ok  ", os.path.relpath(f, root))

    # Broken copies of a complete scenario must be rejected.
    base = docs[os.path.join(root, "scenarios", "teaching", "03-dns-caching-and-ttl.yaml")]
    broken = []
    b = copy.deepcopy(base); b["topologie"] = {}; broken.append(("unknown top-level key", b))
    b = copy.deepcopy(base); b["scenario"]["duraton"] = "1h"; broken.append(("unknown key in scenario", b))
    b = copy.deepcopy(base); b["scenario"]["duration"] = ["1h"]; broken.append(("duration is a list", b))
    b = copy.deepcopy(base); b["scenario"]["duration"] = "1 hour"; broken.append(("duration without unit", b))
    b = copy.deepcopy(base); b["scenario"]["seed"] = "abc"; broken.append(("seed not an integer", b))
    b = copy.deepcopy(base); b["dns"]["zones"][0]["ttl_ns"] = "1h"; broken.append(("unknown key in a dns zone", b))
    b = copy.deepcopy(base); b["topology"]["links"][0]["capacity"] = "10 gigabits"; broken.append(("bad bandwidth", b))
    b = copy.deepcopy(base); b["models"] = {"dns": {"bogus": 1}}; broken.append(("unknown model parameter", b))
    for what, doc in broken:
        if validator.is_valid(doc):
            failed += 1
            print("FAIL broken copy accepted:", what)
        else:
            print("ok   broken copy rejected:", what)
    return 1 if failed else 0


def main():
    mode, outagesim, root = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "validate":
        return run_validate(outagesim, root)
    return run_schema(outagesim, root, sys.argv[4])


if __name__ == "__main__":
    sys.exit(main())
