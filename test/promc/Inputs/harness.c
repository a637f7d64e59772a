/* Calls a promc library's entry point on a raw float32 input file and
 * writes the raw float32 output: the C view of a compiled model, compared
 * byte for byte with prom-run in promc.test. It also checks the header's
 * promise that the entry point only reads its input. Build with
 *   -include MODEL.h -DRUN=model_run -DIN=n_in -DOUT=n_out */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s in.bin out.bin\n", argv[0]);
    return 2;
  }
  static float in[IN], kept[IN], out[OUT];
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(in, sizeof(float), IN, f) != IN) {
    fprintf(stderr, "cannot read %d floats from %s\n", IN, argv[1]);
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
  fwrite(out, sizeof(float), OUT, f);
  fclose(f);
  return 0;
}
