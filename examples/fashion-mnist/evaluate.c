/* Measures a Fashion-MNIST classifier compiled by promc on the idx files.
 *
 *   promc fmnist-prom-qat.onnx -o fmnist.so --name=fmnist   # also fmnist.h
 *   cc -O2 -include fmnist.h -DMODEL_RUN=fmnist_run \
 *      examples/fashion-mnist/evaluate.c ./fmnist.so -lz -o evaluate
 *   ./evaluate t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz \
 *      [--limit N] [--predictions FILE] [--min-accuracy PERCENT]
 *
 * Each image goes in as float pixels / 255, NCHW [1, 1, 28, 28]; the
 * prediction is the first maximum of the 10 outputs. Prints top-1 accuracy
 * and the mean latency per image; --predictions writes one class per line;
 * --min-accuracy makes a lower top-1 accuracy exit 1 (for tests).
 * Files may be gzip-compressed or not (zlib reads both). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#ifndef MODEL_RUN
#error "compile with -include <model>.h -DMODEL_RUN=<model>_run"
#endif

enum { kSide = 28, kPixels = kSide * kSide, kClasses = 10 };

static void fail(const char *message, const char *path) {
  fprintf(stderr, "evaluate: %s '%s'\n", message, path);
  exit(1);
}

/* Reads an idx file with `rank` dimensions of unsigned bytes; returns the
 * data and sets *count to the first dimension. */
static uint8_t *readIdx(const char *path, int rank, const uint32_t *inner,
                        uint32_t *count) {
  gzFile f = gzopen(path, "rb");
  if (!f)
    fail("cannot open", path);
  uint8_t header[4 + 4 * 3];
  int headerSize = 4 + 4 * rank;
  if (gzread(f, header, headerSize) != headerSize || header[0] || header[1] ||
      header[2] != 0x08 || header[3] != rank)
    fail("not an idx file of unsigned bytes with the expected rank:", path);
  size_t elements = 1;
  for (int d = 0; d < rank; ++d) {
    const uint8_t *p = header + 4 + 4 * d;
    uint32_t dim = (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
    if (d == 0)
      *count = dim;
    else if (dim != inner[d - 1])
      fail("unexpected image size in", path);
    elements *= dim;
  }
  uint8_t *data = malloc(elements ? elements : 1);
  if (!data || gzread(f, data, (unsigned)elements) != (int)elements)
    fail("truncated idx file", path);
  gzclose(f);
  return data;
}

int main(int argc, char **argv) {
  const char *imagesPath = NULL, *labelsPath = NULL, *predictionsPath = NULL;
  long limit = -1;
  double minAccuracy = -1;
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--limit") && i + 1 < argc)
      limit = strtol(argv[++i], NULL, 10);
    else if (!strcmp(argv[i], "--min-accuracy") && i + 1 < argc)
      minAccuracy = strtod(argv[++i], NULL);
    else if (!strcmp(argv[i], "--predictions") && i + 1 < argc)
      predictionsPath = argv[++i];
    else if (!imagesPath)
      imagesPath = argv[i];
    else if (!labelsPath)
      labelsPath = argv[i];
    else
      fail("unexpected argument", argv[i]);
  }
  if (!imagesPath || !labelsPath) {
    fprintf(stderr, "usage: evaluate IMAGES LABELS [--limit N] "
                    "[--predictions FILE] [--min-accuracy PERCENT]\n");
    return 1;
  }

  const uint32_t imageDims[] = {kSide, kSide};
  uint32_t images, labelsCount;
  uint8_t *pixels = readIdx(imagesPath, 3, imageDims, &images);
  uint8_t *labels = readIdx(labelsPath, 1, NULL, &labelsCount);
  if (images != labelsCount)
    fail("image and label counts differ:", labelsPath);
  if (limit >= 0 && (uint32_t)limit < images)
    images = (uint32_t)limit;

  FILE *predictions = NULL;
  if (predictionsPath && !(predictions = fopen(predictionsPath, "w")))
    fail("cannot write", predictionsPath);

  static float input[kPixels], scores[kClasses];
  uint32_t correct = 0;
  double seconds = 0;
  for (uint32_t n = 0; n < images; ++n) {
    for (int i = 0; i < kPixels; ++i)
      input[i] = pixels[(size_t)n * kPixels + i] / 255.0f;
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    if (MODEL_RUN(input, scores) != 0) {
      fprintf(stderr, "evaluate: the model failed on image %u\n", n);
      return 1;
    }
    clock_gettime(CLOCK_MONOTONIC, &end);
    seconds += (end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) / 1e9;
    int best = 0;
    for (int c = 1; c < kClasses; ++c)
      if (scores[c] > scores[best])
        best = c;
    correct += best == labels[n];
    if (predictions)
      fprintf(predictions, "%d\n", best);
  }
  if (predictions)
    fclose(predictions);
  double accuracy = images ? 100.0 * correct / images : 0.0;
  printf("%u images, top-1 %.2f%% (%u correct), %.4f ms/image\n", images,
         accuracy, correct, images ? 1e3 * seconds / images : 0.0);
  free(pixels);
  free(labels);
  if (accuracy < minAccuracy) {
    fprintf(stderr, "evaluate: top-1 %.2f%% is below the floor of %.2f%%\n",
            accuracy, minAccuracy);
    return 1;
  }
  return 0;
}
