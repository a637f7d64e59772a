/* Calls a promc library's entry point on a raw input file and writes the
 * raw output: the C view of a compiled model, compared byte for byte with
 * prom-run in promc.test. It also checks the header's promise that the
 * entry point only reads its input. Build with
 *   -include MODEL.h -DRUN=model_run -DIN=n_in -DOUT=n_out
 * and -DIN_TYPE=... -DOUT_TYPE=... for element types other than float. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef IN_TYPE
#define IN_TYPE float
#endif
#ifndef OUT_TYPE
#define OUT_TYPE float
#endif

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s in.bin out.bin\n", argv[0]);
    return 2;
  }
  static IN_TYPE in[IN], kept[IN];
  static OUT_TYPE out[OUT];
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(IN_TYPE), IN, f) != IN) {
    fprintf(stderr, "cannot read %d elements from %s\n", IN, argv[1]);
    return 1;
  }
  fclose(f);
  memcpy(kept, in, sizeof(in));
  int status = RUN(in, out);
  if (status != 0) {
    fprintf(stderr, "entry point returned %d\n", status);
    return 1;
  }
  if (memcmp(kept, in, sizeof(in)) != 0) {
    fprintf(stderr, "entry point wrote into its input\n");
    return 1;
  }
  f = fopen(argv[2], "wb");
  fwrite(out, sizeof(OUT_TYPE), OUT, f);
  fclose(f);
  return 0;
}
