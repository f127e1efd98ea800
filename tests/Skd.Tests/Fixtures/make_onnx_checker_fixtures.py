"""Writes onnx_checker_verdicts.json: onnx.checker's verdict (full_check: with strict shape inference) on
the files that OnnxCheckerVerdictTests exported, keyed by file name, with each file's SHA-256, so that the
test knows the checker accepted exactly what the exporter writes today. Run after the test has run once
(it writes the files and, when they changed, names this command with the folder):

    apt-get install -y python3-onnx
    dotnet test tests/Skd.Tests -c Release --filter FullyQualifiedName~OnnxCheckerVerdictTests
    /usr/bin/python3 tests/Skd.Tests/Fixtures/make_onnx_checker_fixtures.py tests/Skd.Tests/bin/Release/net10.0/onnx-checker-exports
"""
import hashlib
import json
import os
import sys

import onnx

folder = sys.argv[1]
files = {}
for name in sorted(os.listdir(folder)):
    if not name.endswith(".onnx"):
        continue
    path = os.path.join(folder, name)
    with open(path, "rb") as f:
        data = f.read()
    model = onnx.load_from_string(data)
    try:
        onnx.checker.check_model(model, full_check=True)
        verdict = "valid"
    except onnx.checker.ValidationError as e:
        verdict = f"invalid: {e}"
    files[name] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "checker": verdict,
        "ir_version": model.ir_version,
        "opset": next(o.version for o in model.opset_import if o.domain == ""),
        "nodes": len(model.graph.node),
    }
    print(name, verdict)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "onnx_checker_verdicts.json")
with open(out, "w") as f:
    json.dump({"onnx": onnx.__version__, "check": "onnx.checker.check_model(model, full_check=True)", "files": files}, f, indent=2)
    f.write("\n")
