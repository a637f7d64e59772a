/* Times a promc library's entry point: one warm-up call, then N calls on
 * the same pseudo-random input; prints "median_ms <m>". Build with
 *   -include MODEL.h -DMODEL_RUN=model_run -DIN=n_in -DOUT=n_out */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 0;
  if (n < 1 || n > 10000) {
    fprintf(stderr, "usage: %s CALLS (1-10000)\n", argv[0]);
    return 2;
  }
  static float in[IN], out[OUT];
  unsigned state = 1;
  for (int i = 0; i < IN; ++i) {
    state = state * 1664525u + 1013904223u;
    in[i] = (float)(state >> 8) / 16777216.0f * 2.0f - 1.0f;
  }
  if (MODEL_RUN(in, out) != 0) {
    fprintf(stderr, "the model's entry point failed\n");
    return 1;
  }
  double *ms = malloc(sizeof(double) * n);
  for (int k = 0; k < n; ++k) {
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    MODEL_RUN(in, out);
    clock_gettime(CLOCK_MONOTONIC, &end);
    ms[k] = (end.tv_sec - start.tv_sec) * 1e3 +
            (end.tv_nsec - start.tv_nsec) / 1e6;
  }
  qsort(ms, n, sizeof(double), compare);
  printf("median_ms %.3f\n", ms[n / 2]);
  free(ms);
  return 0;
}
