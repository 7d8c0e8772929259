// Band-limited resampling of mono PCM (espeak-ng speaks at 22 050 Hz; the whisper models and the reading
// check take 16 kHz): windowed-sinc interpolation, with the cut-off at the lower Nyquist frequency so the
// downsampled speech does not alias. Plenty for a benchmark corpus; not a studio resampler.

/** Half-width of the sinc kernel in input samples (at the cut-off): 16 taps a side. */
const HALF_TAPS = 16;

export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!(fromRate > 0) || !(toRate > 0)) throw new RangeError(`resample: expected positive rates, got ${fromRate} → ${toRate}`);
  if (fromRate === toRate) return input.slice();
  const ratio = fromRate / toRate;
  // Below 1 when downsampling: the kernel widens and its cut-off drops to the new Nyquist frequency.
  const cutoff = Math.min(1, toRate / fromRate);
  const halfWidth = Math.ceil(HALF_TAPS / cutoff);
  const out = new Int16Array(Math.floor(input.length / ratio));
  for (let n = 0; n < out.length; n++) {
    const t = n * ratio;
    const centre = Math.floor(t);
    let sum = 0;
    let weights = 0;
    for (let i = centre - halfWidth + 1; i <= centre + halfWidth; i++) {
      if (i < 0 || i >= input.length) continue;
      const x = t - i;
      const w = cutoff * sinc(cutoff * x) * hann(x / halfWidth);
      sum += input[i]! * w;
      weights += w;
    }
    out[n] = clamp16(weights === 0 ? 0 : sum / weights);
  }
  return out;
}

function sinc(x: number): number {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

/** Hann window over -1..1. */
function hann(x: number): number {
  return Math.abs(x) >= 1 ? 0 : 0.5 * (1 + Math.cos(Math.PI * x));
}

function clamp16(value: number): number {
  return Math.max(-32768, Math.min(32767, Math.round(value)));
}
