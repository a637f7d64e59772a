# lit configuration for prom's regression tests.

import os

import lit.formats
from lit.llvm import llvm_config

config.name = "PROM"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "models",
                   "consumer", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.prom_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%prom_src_root", config.prom_src_root))
config.substitutions.append(("%prom_bin", config.prom_tools_dir))
config.substitutions.append(("%prom_obj_root", config.prom_obj_root))
# Debian's python3-onnx/numpy/torch belong to /usr/bin/python3.
config.substitutions.append(("%python", "/usr/bin/python3"))

llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP"])
llvm_config.use_default_substitutions()

# FileCheck, not and count come from the LLVM 22 install; prom's tools from
# the build tree.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(
    ["prom-opt", "prom-run", "prom-translate", "promc", "mlir-translate",
     "llvm-nm", "llc", "prom-import-onnx-fuzzer", "prom-parse-ir-fuzzer"],
    [config.prom_tools_dir, config.llvm_tools_dir]
)

# The ONNX backend node tests (Debian's libonnx-testdata).
if os.path.isdir("/usr/share/libonnx-testdata/data/node"):
    config.available_features.add("onnx-node-tests")

# Hosts whose CPU has AMX int8 tiles (or AVX-512 VBMI) run the end-to-end
# tests of the kernels that need them.
try:
    with open("/proc/cpuinfo") as cpuinfo:
        flags = cpuinfo.read()
        if " amx_int8" in flags:
            config.available_features.add("amx")
        if " avx512vbmi " in flags or " avx512vbmi\n" in flags:
            config.available_features.add("avx512vbmi")
except OSError:
    pass
