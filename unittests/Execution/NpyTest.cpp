//===- NpyTest.cpp - reading .npy files -----------------------------------===//

#include "Prom/Execution/Npy.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace mlir::prom;

namespace {

/// An .npy file of version `major` with `header` and `data`.
std::string npy(int major, const std::string &header, const std::string &data) {
  std::string s = "\x93NUMPY";
  s += char(major);
  s += char(0);
  size_t length = header.size();
  for (int i = 0; i < (major == 1 ? 2 : 4); ++i)
    s += char((length >> (8 * i)) & 0xff);
  return s + header + data;
}

std::string floats(std::initializer_list<float> values) {
  std::string s(values.size() * 4, '\0');
  std::memcpy(s.data(), values.begin(), s.size());
  return s;
}

TEST(Npy, ReadsVersionOneAndTwo) {
  for (int major : {1, 2}) {
    std::string bytes = npy(
        major, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }\n",
        floats({1.5f, -2.0f}));
    llvm::Expected<HostTensor> t = parseNpy(bytes, "x.npy");
    ASSERT_TRUE(bool(t)) << llvm::toString(t.takeError());
    EXPECT_EQ(t->kind, ElementKind::F32);
    EXPECT_EQ(llvm::ArrayRef(t->shape), llvm::ArrayRef<int64_t>({2, 1}));
    EXPECT_EQ(t->as<float>()[1], -2.0f);
  }
}

TEST(Npy, OneDimensionalAndScalarShapes) {
  llvm::Expected<HostTensor> v = parseNpy(
      npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }",
          "\x01\x02\xff"),
      "v.npy");
  ASSERT_TRUE(bool(v)) << llvm::toString(v.takeError());
  EXPECT_EQ(v->kind, ElementKind::I8);
  EXPECT_EQ(v->as<int8_t>()[2], -1);
  llvm::Expected<HostTensor> s =
      parseNpy(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                   floats({3.0f})),
               "s.npy");
  ASSERT_TRUE(bool(s)) << llvm::toString(s.takeError());
  EXPECT_TRUE(s->shape.empty());
  EXPECT_EQ(s->numElements(), 1);
}

TEST(Npy, ErrorsNameTheFileAndTheProblem) {
  auto error = [](const std::string &bytes) {
    llvm::Expected<HostTensor> t = parseNpy(bytes, "bad.npy");
    EXPECT_FALSE(bool(t));
    return t ? std::string() : llvm::toString(t.takeError());
  };
  EXPECT_EQ(error("PK\x03\x04"), "'bad.npy': not a .npy file (bad magic)");
  EXPECT_EQ(error(npy(1,
                      "{'descr': '>f4', 'fortran_order': False, "
                      "'shape': (1,), }",
                      floats({1.0f}))),
            "'bad.npy': dtype '>f4' is not float32, int8 or int32");
  EXPECT_EQ(error(npy(1,
                      "{'descr': '<f4', 'fortran_order': True, "
                      "'shape': (1,), }",
                      floats({1.0f}))),
            "'bad.npy': Fortran-order arrays are not supported");
  EXPECT_EQ(error(npy(1,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (2,), }",
                      floats({1.0f}))),
            "'bad.npy': holds 4 data bytes; its shape and dtype need 8");
  EXPECT_EQ(error(npy(1,
                      "{'descr': '<f4', 'fortran_order': False, "
                      "'shape': (x,), }",
                      "")),
            "'bad.npy': malformed shape (x,)");
  EXPECT_EQ(error(npy(4, "{}", "")), "'bad.npy': unsupported .npy version 4");
  std::string truncated = npy(1, "{'descr': '<f4'}", "");
  EXPECT_EQ(error(truncated.substr(0, 12)), "'bad.npy': truncated header");
}

} // namespace
