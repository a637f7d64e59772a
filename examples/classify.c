/* Runs an image classifier compiled by promc and prints the top classes.
 *
 *   promc mobilenetv2.onnx -o mobilenetv2.so        # also mobilenetv2.h
 *   cc -include mobilenetv2.h -DMODEL_RUN=mobilenetv2_run \
 *      examples/classify.c ./mobilenetv2.so -o classify
 *   ./classify [image.bin]
 *
 * image.bin holds one 1x3x224x224 float32 image (NCHW, normalized as the
 * model expects); without it a deterministic test pattern is used. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef MODEL_RUN
#error "compile with -include <model>.h -DMODEL_RUN=<model>_run"
#endif

enum { kInput = 3 * 224 * 224, kClasses = 1000, kTop = 5, kRuns = 20 };

static double elapsedMs(struct timespec start, struct timespec end) {
  return (end.tv_sec - start.tv_sec) * 1e3 +
         (end.tv_nsec - start.tv_nsec) / 1e6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  static float image[kInput], scores[kClasses];
  if (argc > 1) {
    FILE *f = fopen(argv[1], "rb");
    if (!f || fread(image, sizeof(float), kInput, f) != kInput) {
      fprintf(stderr, "classify: cannot read %d floats from '%s'\n", kInput,
              argv[1]);
      return 1;
    }
    fclose(f);
  } else {
    for (int i = 0; i < kInput; ++i)
      image[i] = sinf(0.001f * (float)i) * 2.0f;
  }

  /* The first call also faults in the library's pages and its buffers; the
   * steady state is the median of the calls after it. */
  double ms[kRuns];
  for (int r = 0; r < kRuns; ++r) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (MODEL_RUN(image, scores) != 0) {
      fprintf(stderr, "classify: the model failed\n");
      return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    ms[r] = elapsedMs(start, end);
  }
  double first = ms[0];
  qsort(ms + 1, kRuns - 1, sizeof(double), compare);

  int top[kTop];
  for (int k = 0; k < kTop; ++k) {
    top[k] = -1;
    for (int c = 0; c < kClasses; ++c) {
      int taken = 0;
      for (int j = 0; j < k; ++j)
        taken |= top[j] == c;
      if (!taken && (top[k] < 0 || scores[c] > scores[top[k]]))
        top[k] = c;
    }
  }
  printf("first call: %.1f ms; then median of %d calls: %.2f ms\n", first,
         kRuns - 1, ms[kRuns / 2]);
  for (int k = 0; k < kTop; ++k)
    printf("  #%d: class %d, score %.4f\n", k + 1, top[k], scores[top[k]]);
  return 0;
}
