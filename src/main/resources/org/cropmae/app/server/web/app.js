'use strict';
// The CropMAE page: pick a video, scrub to a frame, paint a mask, propagate it through the API.
// Plain JavaScript, nothing loaded from elsewhere.
(() => {
  // Colours of labels 1..5: the DAVIS palette, which the server keeps for the masks it returns.
  const PALETTE = [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0], [0, 0, 128], [128, 0, 128]];
  const $ = (id) => document.getElementById(id);
  const video = $('video');
  const frameCanvas = $('frame');
  const paintCanvas = $('paint');
  const frameCtx = frameCanvas.getContext('2d');
  const paintCtx = paintCanvas.getContext('2d');
  let file = null;
  let width = 0;
  let height = 0;
  let labels = null;          // Uint8Array(width * height): the painted mask, one label per pixel
  let undo = [];              // snapshots of labels, newest last
  let label = 1;
  let painting = false;
  let last = null;
  let urls = [];

  function setState(state, text, isError) {
    document.body.dataset.state = state;
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  // --- tools ---
  for (let l = 1; l < PALETTE.length; l++) {
    const b = document.createElement('button');
    b.className = 'tool swatch';
    b.dataset.label = String(l);
    b.id = 'object-' + l;
    b.textContent = 'Object ' + l;
    b.style.background = 'rgb(' + PALETTE[l].join(',') + ')';
    $('objects').appendChild(b);
  }
  const tools = () => document.querySelectorAll('button.tool');
  function pick(l) {
    label = l;
    tools().forEach((b) => b.classList.toggle('active', Number(b.dataset.label) === l));
  }
  tools().forEach((b) => b.addEventListener('click', () => pick(Number(b.dataset.label))));
  pick(1);
  $('brush').addEventListener('input', () => { $('brush-size').textContent = $('brush').value; });
  $('undo').addEventListener('click', () => {
    if (undo.length) {
      labels = undo.pop();
      render();
    }
  });
  $('clear').addEventListener('click', () => {
    if (labels) {
      undo.push(labels.slice());
      labels.fill(0);
      render();
    }
  });

  // --- video ---
  $('file').addEventListener('change', () => {
    file = $('file').files[0];
    if (!file) {
      return;
    }
    urls.forEach(URL.revokeObjectURL);
    urls = [];
    const url = URL.createObjectURL(file);
    urls.push(url);
    setState('loading', 'Loading ' + file.name + '...');
    video.src = url;
  });
  video.addEventListener('loadedmetadata', async () => {
    // videoWidth/videoHeight are the displayed size (rotation applied): the mask is painted at that size.
    width = video.videoWidth;
    height = video.videoHeight;
    for (const c of [frameCanvas, paintCanvas]) {
      c.width = width;
      c.height = height;
    }
    labels = new Uint8Array(width * height);
    undo = [];
    $('scrub').max = String(video.duration || 0);
    $('scrub').value = '0';
    $('info').textContent = width + 'x' + height + ' pixels, ' + (video.duration || 0).toFixed(2) + ' s';
    $('editor').hidden = false;
    await seek(0);
    render();
    setState('ready', 'Paint at least one object on this frame.');
  });
  video.addEventListener('error', () => setState('error', 'This browser cannot play ' + (file ? file.name : 'the video')
      + '; the server may still read it (try curl, docs/SERVER.md).', true));

  function seek(t) {
    return new Promise((resolve) => {
      const done = () => {
        frameCtx.drawImage(video, 0, 0, width, height);
        $('time').textContent = video.currentTime.toFixed(3) + ' s';
        document.body.dataset.seeked = video.currentTime.toFixed(3);
        resolve();
      };
      if (Math.abs(video.currentTime - t) < 1e-6 && video.readyState >= 2) {
        done();
        return;
      }
      video.addEventListener('seeked', done, {once: true});
      video.currentTime = t;
    });
  }
  $('scrub').addEventListener('input', () => seek(Number($('scrub').value)));
  const step = (d) => {
    const t = Math.min(Math.max(0, video.currentTime + d), video.duration || 0);
    $('scrub').value = String(t);
    seek(t);
  };
  $('prev').addEventListener('click', () => step(-0.04));
  $('next').addEventListener('click', () => step(0.04));

  // --- painting ---
  function point(e) {
    const r = paintCanvas.getBoundingClientRect();
    return [(e.clientX - r.left) * width / r.width, (e.clientY - r.top) * height / r.height];
  }
  function dab(cx, cy) {
    const rad = Number($('brush').value) / 2;
    const x0 = Math.max(0, Math.floor(cx - rad)), x1 = Math.min(width - 1, Math.ceil(cx + rad));
    const y0 = Math.max(0, Math.floor(cy - rad)), y1 = Math.min(height - 1, Math.ceil(cy + rad));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= rad * rad) {
          labels[y * width + x] = label;
        }
      }
    }
  }
  function stroke(p) {
    const [x, y] = p;
    if (last) {
      const n = Math.max(1, Math.ceil(Math.hypot(x - last[0], y - last[1]) / 2));
      for (let i = 1; i <= n; i++) {
        dab(last[0] + (x - last[0]) * i / n, last[1] + (y - last[1]) * i / n);
      }
    } else {
      dab(x, y);
    }
    last = p;
    render();
  }
  paintCanvas.addEventListener('pointerdown', (e) => {
    if (!labels) {
      return;
    }
    paintCanvas.setPointerCapture(e.pointerId);
    undo.push(labels.slice());
    if (undo.length > 30) {
      undo.shift();
    }
    painting = true;
    last = null;
    stroke(point(e));
  });
  paintCanvas.addEventListener('pointermove', (e) => { if (painting) stroke(point(e)); });
  const end = () => { painting = false; last = null; };
  paintCanvas.addEventListener('pointerup', end);
  paintCanvas.addEventListener('pointercancel', end);

  function render() {
    const img = paintCtx.createImageData(width, height);
    const d = img.data;
    let painted = 0;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (l) {
        const c = PALETTE[l];
        d[4 * i] = c[0];
        d[4 * i + 1] = c[1];
        d[4 * i + 2] = c[2];
        d[4 * i + 3] = 150;
        painted++;
      }
    }
    paintCtx.putImageData(img, 0, 0);
    $('run').disabled = painted === 0;
    document.body.dataset.painted = String(painted);
    if (document.body.dataset.state === 'ready' || document.body.dataset.state === 'painted') {
      setState(painted ? 'painted' : 'ready', painted ? 'Ready to propagate from ' + video.currentTime.toFixed(3) + ' s.'
          : 'Paint at least one object on this frame.');
    }
  }

  // --- palette PNG (colour type 3, 8 bits): what the server reads as a mask ---
  const CRC = new Uint32Array(256).map((_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    }
    return c >>> 0;
  });
  function crc32(bytes) {
    let c = 0xFFFFFFFF;
    for (const b of bytes) {
      c = CRC[(c ^ b) & 0xFF] ^ (c >>> 8);
    }
    return (c ^ 0xFFFFFFFF) >>> 0;
  }
  function chunk(type, data) {
    const out = new Uint8Array(12 + data.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, data.length);
    for (let i = 0; i < 4; i++) {
      out[4 + i] = type.charCodeAt(i);
    }
    out.set(data, 8);
    v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
    return out;
  }
  async function palettePng() {
    let max = 1;
    for (const l of labels) {
      if (l > max) max = l;
    }
    const raw = new Uint8Array((width + 1) * height);
    for (let y = 0; y < height; y++) {
      raw.set(labels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1); // filter byte 0 (none) first
    }
    const zlib = new Uint8Array(await new Response(new Blob([raw]).stream()
        .pipeThrough(new CompressionStream('deflate'))).arrayBuffer());
    const ihdr = new Uint8Array(13);
    const v = new DataView(ihdr.buffer);
    v.setUint32(0, width);
    v.setUint32(4, height);
    ihdr.set([8, 3, 0, 0, 0], 8);
    const plte = new Uint8Array(3 * (max + 1));
    for (let l = 0; l <= max; l++) {
      plte.set(PALETTE[l], 3 * l);
    }
    const parts = [new Uint8Array([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), chunk('IHDR', ihdr),
      chunk('PLTE', plte), chunk('IDAT', zlib), chunk('IEND', new Uint8Array(0))];
    return new Blob(parts, {type: 'image/png'});
  }

  // --- propagation through the API ---
  function headers() {
    const t = $('token').value.trim();
    return t ? {Authorization: 'Bearer ' + t} : {};
  }
  async function errorOf(resp) {
    try {
      return (await resp.json()).error || resp.statusText;
    } catch (e) {
      return resp.status + ' ' + resp.statusText;
    }
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  $('run').addEventListener('click', async () => {
    $('run').disabled = true;
    $('results').hidden = true;
    $('progress').value = 0;
    setState('uploading', 'Uploading...');
    try {
      const format = $('format').value;
      const ext = (file.name.match(/\.[A-Za-z0-9]{1,5}$/) || ['.mp4'])[0];
      const form = new FormData();
      form.append('video', file, 'video' + ext.toLowerCase());
      form.append('mask', await palettePng(), 'mask.png');
      form.append('mask_time', video.currentTime.toFixed(6));
      form.append('every', String(Math.max(1, Number($('every').value) || 1)));
      const max = Number($('max-frames').value) || 0;
      if (max > 0) {
        form.append('max_frames', String(max));
      }
      form.append('output', 'both');
      form.append('format', format);
      const created = await fetch('/v1/jobs', {method: 'POST', body: form, headers: headers()});
      if (!created.ok) {
        throw new Error(await errorOf(created));
      }
      let job = await created.json();
      while (job.state === 'queued' || job.state === 'running') {
        const total = job.frames_total || 0;
        $('progress').max = Math.max(1, total);
        $('progress').value = job.frames_done;
        setState('running', job.state === 'queued' ? 'Waiting for a worker...'
            : 'Propagating: ' + job.frames_done + (total ? ' of ' + total : '') + ' frames');
        await sleep(300);
        const r = await fetch(job.status_url, {headers: headers()});
        if (!r.ok) {
          throw new Error(await errorOf(r));
        }
        job = await r.json();
      }
      if (job.state !== 'done') {
        throw new Error(job.error || 'the job ' + job.state);
      }
      $('progress').max = 1;
      $('progress').value = 1;
      const [masks, overlay] = await Promise.all(['masks', 'overlay'].map(async (part) => {
        const r = await fetch(job.result_url + '/' + part, {headers: headers()});
        if (!r.ok) {
          throw new Error(await errorOf(r));
        }
        return r.blob();
      }));
      const masksUrl = URL.createObjectURL(masks);
      const overlayUrl = URL.createObjectURL(overlay);
      urls.push(masksUrl, overlayUrl);
      $('download-masks').href = masksUrl;
      $('download-overlay').href = overlayUrl;
      $('download-overlay').download = 'overlay.' + format;
      const gif = format === 'gif';
      $('result').hidden = gif;
      $('result-gif').hidden = !gif;
      if (gif) {
        $('result-gif').src = overlayUrl;
      } else {
        $('result').src = overlayUrl;
        $('result').play().catch(() => {});
      }
      $('results').hidden = false;
      setState('done', 'Done: ' + job.frames_done + ' frames.');
    } catch (e) {
      setState('error', 'Failed: ' + e.message, true);
    } finally {
      $('run').disabled = false;
    }
  });
})();
