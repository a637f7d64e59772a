//===- corpus-runner.cpp - run a fuzz target over files -------------------===//
//
// The main() of a fuzz target built without libFuzzer: calls
// LLVMFuzzerTestOneInput once per file named on the command line (a
// directory stands for the regular files in it, in name order). A crash
// is the process's crash; the count printed at the end says all ran.
//
//===----------------------------------------------------------------------===//

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (int i = 1; i < argc; ++i) {
    fs::path path(argv[i]);
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> inDir;
      for (const fs::directory_entry &entry : fs::directory_iterator(path))
        if (entry.is_regular_file())
          inDir.push_back(entry.path());
      std::sort(inDir.begin(), inDir.end());
      files.insert(files.end(), inDir.begin(), inDir.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      std::fprintf(stderr, "%s: error: no file or directory '%s'\n", argv[0],
                   argv[i]);
      return 1;
    }
  }
  for (const fs::path &path : files) {
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
  }
  std::printf("%zu inputs, no crash\n", files.size());
  return 0;
}
