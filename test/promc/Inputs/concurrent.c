/* Calls one promc library from several threads at once, each thread on its
 * own inputs, and checks that every call gives the bytes its input gives
 * when run alone: the header's promise that calls share no state (the
 * library's buffer cache is shared, under a lock). Build with
 *   -include MODEL.h -DRUN=model_run -DIN=n_in -DOUT=n_out -pthread */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { kThreads = 4, kInputs = 8, kCalls = 40 };

static float inputs[kInputs][IN], expected[kInputs][OUT];
static int mismatches, calls;

static void *worker(void *arg) {
  int t = (int)(intptr_t)arg;
  float *out = malloc(sizeof(float) * OUT);
  for (int i = 0; i < kCalls; ++i) {
    int k = (t + i) % kInputs;
    memset(out, 0xff, sizeof(float) * OUT);
    int status = RUN(inputs[k], out);
    if (status != 0 || memcmp(out, expected[k], sizeof(float) * OUT) != 0)
      __atomic_add_fetch(&mismatches, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
  }
  free(out);
  return NULL;
}

int main(void) {
  uint32_t state = 12345;
  for (int k = 0; k < kInputs; ++k)
    for (int i = 0; i < IN; ++i) {
      state = state * 1664525u + 1013904223u;
      inputs[k][i] = (float)(state >> 8) / (float)(1u << 24);
    }
  for (int k = 0; k < kInputs; ++k)
    if (RUN(inputs[k], expected[k]) != 0) {
      fprintf(stderr, "entry point failed on input %d\n", k);
      return 1;
    }
  /* Inputs with equal outputs would let a call that took another thread's
   * input pass. */
  for (int k = 1; k < kInputs; ++k)
    if (memcmp(expected[0], expected[k], sizeof(expected[0])) == 0) {
      fprintf(stderr, "inputs 0 and %d give the same output\n", k);
      return 1;
    }
  pthread_t threads[kThreads];
  for (int t = 0; t < kThreads; ++t)
    pthread_create(&threads[t], NULL, worker, (void *)(intptr_t)t);
  for (int t = 0; t < kThreads; ++t)
    pthread_join(threads[t], NULL);
  printf("%d threads, %d calls, %d mismatches\n", kThreads, calls, mismatches);
  return mismatches != 0;
}
