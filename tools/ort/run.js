#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (CPU, one thread) to get reference
// outputs for prom's tests.
//
//   node tools/ort/run.js model.onnx in.bin out.bin [--shape 1x3x224x224] [--bench N]
//
// in.bin holds the model's first input as raw little-endian float32; its shape
// is --shape, else the model's static input shape. The first output is written
// to out.bin as raw little-endian float32 (non-float outputs are converted),
// and one line is printed: "ort: <output shape> in <ms> ms". With --bench N the
// model is run N times (after one untimed warm-up run) and the same line
// shows the median. Errors print one line to stderr and exit 1.
// Install onnxruntime-node first with scripts/install-model-tools.sh.
'use strict';

const fs = require('fs');
const path = require('path');

const USAGE = 'usage: node tools/ort/run.js model.onnx in.bin out.bin [--shape 1x3x224x224] [--bench N] [--no-optimize]';

class UsageError extends Error {}

function fail(msg) {
  const line = String(msg).split('\n').map((s) => s.trim()).filter(Boolean)[0] || 'unknown error';
  process.stderr.write(`run.js: error: ${line}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const pos = [];
  let shape = null;
  let bench = 0;
  let noOptimize = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const takeValue = (name) => {
      const eq = a.indexOf('=');
      if (eq >= 0) return a.slice(eq + 1);
      if (i + 1 >= argv.length) throw new UsageError(`${name} needs a value; ${USAGE}`);
      return argv[++i];
    };
    if (a === '-h' || a === '--help') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a === '--shape' || a.startsWith('--shape=')) {
      const s = takeValue('--shape');
      if (!/^\d+(x\d+)*$/.test(s)) throw new UsageError(`bad --shape '${s}' (want e.g. 1x3x224x224)`);
      shape = s.split('x').map(Number);
    } else if (a === '--bench' || a.startsWith('--bench=')) {
      const s = takeValue('--bench');
      if (!/^\d+$/.test(s) || Number(s) < 1) throw new UsageError(`bad --bench '${s}' (want a positive integer)`);
      bench = Number(s);
    } else if (a === '--no-optimize') {
      // Run every node as written (Q/DQ pairs literally, no int8 fusion).
      noOptimize = true;
    } else if (a.startsWith('--')) {
      throw new UsageError(`unknown option '${a}'; ${USAGE}`);
    } else {
      pos.push(a);
    }
  }
  if (pos.length !== 3) throw new UsageError(USAGE);
  return { model: pos[0], input: pos[1], output: pos[2], shape, bench, noOptimize };
}

function loadOrt() {
  try {
    return require('onnxruntime-node');
  } catch (e) {
    throw new Error(`cannot load onnxruntime-node (run scripts/install-model-tools.sh): ${e.message}`);
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function fmtShape(dims) {
  return dims.length ? dims.join('x') : 'scalar';
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  for (const f of [args.model, args.input]) {
    if (!fs.existsSync(f)) throw new Error(`no such file: ${f}`);
    if (!fs.statSync(f).isFile()) throw new Error(`not a file: ${f}`);
  }
  const outDir = path.dirname(path.resolve(args.output));
  if (!fs.existsSync(outDir)) throw new Error(`output directory does not exist: ${outDir}`);

  const ort = loadOrt();
  let session;
  try {
    session = await ort.InferenceSession.create(args.model, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      logSeverityLevel: 3,
      graphOptimizationLevel: args.noOptimize ? 'disabled' : 'all',
    });
  } catch (e) {
    throw new Error(`cannot load model ${args.model}: ${e.message}`);
  }

  const inName = session.inputNames[0];
  const outName = session.outputNames[0];
  if (inName === undefined) throw new Error(`model ${args.model} has no inputs`);
  const meta = (session.inputMetadata || [])[0];
  if (meta && meta.isTensor && meta.type !== 'float32') {
    throw new Error(`first input '${inName}' is ${meta.type}, only float32 inputs are supported`);
  }
  const modelShape = meta && meta.isTensor ? Array.from(meta.shape) : null;

  let shape = args.shape;
  if (modelShape && modelShape.length) {
    if (shape) {
      if (shape.length !== modelShape.length) {
        throw new Error(`bad shape ${fmtShape(shape)}: input '${inName}' has rank ${modelShape.length} (${modelShape.join('x')})`);
      }
      modelShape.forEach((d, i) => {
        if (typeof d === 'number' && d > 0 && d !== shape[i]) {
          throw new Error(`bad shape ${fmtShape(shape)}: input '${inName}' is ${modelShape.join('x')}`);
        }
      });
    } else {
      const dynamic = modelShape.some((d) => typeof d !== 'number' || d <= 0);
      if (dynamic) {
        throw new Error(`input '${inName}' has dynamic shape ${modelShape.join('x')}; pass --shape`);
      }
      shape = modelShape;
    }
  } else if (!shape) {
    throw new Error(`input '${inName}' has no known shape; pass --shape`);
  }

  const count = shape.reduce((a, b) => a * b, 1);
  const buf = fs.readFileSync(args.input);
  if (buf.length !== count * 4) {
    throw new Error(`bad shape: ${args.input} has ${buf.length} bytes, shape ${fmtShape(shape)} needs ${count * 4} (float32)`);
  }
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = buf.readFloatLE(i * 4);
  const feeds = { [inName]: new ort.Tensor('float32', data, shape) };

  const runOnce = async () => {
    const t0 = process.hrtime.bigint();
    const res = await session.run(feeds, [outName]);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { res, ms };
  };

  let result;
  let ms;
  try {
    if (args.bench > 0) {
      await runOnce(); // warm-up
      const times = [];
      for (let i = 0; i < args.bench; i++) {
        const r = await runOnce();
        times.push(r.ms);
        result = r.res;
      }
      ms = median(times);
    } else {
      ({ res: result, ms } = await runOnce());
    }
  } catch (e) {
    throw new Error(`run failed: ${e.message}`);
  }

  const out = result[outName];
  if (!out || !out.data || typeof out.data.length !== 'number' || out.type === 'string') {
    throw new Error(`first output '${outName}' is not a numeric tensor`);
  }
  const n = out.data.length;
  const outBuf = Buffer.alloc(n * 4);
  for (let i = 0; i < n; i++) outBuf.writeFloatLE(Number(out.data[i]), i * 4);
  fs.writeFileSync(args.output, outBuf);

  if (out.type !== 'float32') {
    process.stderr.write(`run.js: note: output '${outName}' is ${out.type}, written as float32\n`);
  }
  process.stdout.write(`ort: ${fmtShape(Array.from(out.dims))} in ${ms.toFixed(3)} ms\n`);
}

main().then(
  () => process.exit(0),
  (e) => fail(e instanceof Error ? e.message : e),
);
