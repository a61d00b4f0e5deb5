package org.deepclustering.nn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A fully connected autoencoder. All trainable parameters (weights, biases, batch-norm gamma/beta) live in ONE
 * contiguous float32 vector ({@code 1 x numParams}) with per-layer views, so an optimizer updates all of them with one
 * call; batch-norm running statistics live in a second vector. Weights are stored {@code in x out}
 * (output = input · W + b). Not thread-safe for concurrent training; inference methods do not modify the model.
 */
public final class Autoencoder {
    static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = {'D', 'C', 'A', 'E'};
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int INFERENCE_BATCH = 2048;
    /** Up to this many rows a dense layer runs as one sgemv per row (see {@link Blas#rowsTimesMatrix}). */
    private static final int FEW_ROWS = 4;
    /** Limit on the im2col buffer of one inference chunk of a convolutional layer (floats; 64 MiB). */
    private static final long CONV_INFERENCE_VALUES = 16L << 20;

    /** Kind of a layer. */
    enum Kind { DENSE, CONV, DECONV }

    /**
     * Structure of one layer (internal). {@code in}/{@code out} are values per sample (flat; images channels-last).
     * CONV maps {@code conv}'s image side to its grid side, DECONV (transposed convolution) the grid side back.
     */
    record LayerDef(int in, int out, Activation activation, boolean batchNorm, boolean hidden, Kind kind,
                    ConvGeometry conv) {
        LayerDef(int in, int out, Activation activation, boolean batchNorm, boolean hidden) {
            this(in, out, activation, batchNorm, hidden, Kind.DENSE, null);
        }

        /** Rows of the weight matrix: in (dense) or kernel * kernel * imageC. */
        int wRows() { return kind == Kind.DENSE ? in : conv.colWidth(); }

        /** Columns of the weight matrix: out (dense) or gridC. */
        int wCols() { return kind == Kind.DENSE ? out : conv.gridC(); }

        /** Bias length: out (dense) or the output channels. */
        int biasLength() {
            return switch (kind) {
                case DENSE -> out;
                case CONV -> conv.gridC();
                case DECONV -> conv.imageC();
            };
        }

        /**
         * Bound of the uniform initial weights. Fans as Keras computes them: dense in and out; a convolution in either
         * direction kernel area times the image-side channels (fan in) and times the grid-side channels (fan out).
         */
        double initLimit(WeightInit init) {
            if (kind == Kind.DENSE) return init.limit(in, out);
            double area = conv.kernel() * conv.kernel();
            return init.limit(area * conv.imageC(), area * conv.gridC());
        }
    }

    /** One layer: its definition, offsets into the parameter/state vectors, and views. */
    static final class Layer {
        final LayerDef def;
        final long wOff, bOff, gammaOff, betaOff, meanOff, varOff;
        INDArray w, b, gamma, beta, runningMean, runningVar;

        Layer(LayerDef def, long wOff, long bOff, long gammaOff, long betaOff, long meanOff, long varOff) {
            this.def = def;
            this.wOff = wOff;
            this.bOff = bOff;
            this.gammaOff = gammaOff;
            this.betaOff = betaOff;
            this.meanOff = meanOff;
            this.varOff = varOff;
        }
    }

    private final int inputDim;
    private final AutoencoderConfig config;
    private final List<Layer> layers;
    private final int numEncoderLayers;
    private final Blas.Buffer params;
    private final Blas.Buffer state;
    private final long numParams;
    private final long numState;

    Autoencoder(int inputDim, AutoencoderConfig config, List<LayerDef> defs, int numEncoderLayers, INDArray paramsOrNull,
                INDArray stateOrNull) {
        NativeSetup.ensureConfigured();
        this.inputDim = inputDim;
        this.config = config;
        this.numEncoderLayers = numEncoderLayers;
        List<Layer> ls = new ArrayList<>();
        long p = 0, s = 0;
        for (LayerDef d : defs) {
            long w = p;
            p += (long) d.wRows() * d.wCols();
            long b = p;
            p += d.biasLength();
            long g = -1, be = -1, m = -1, v = -1;
            if (d.batchNorm()) {
                g = p;
                p += d.out();
                be = p;
                p += d.out();
                m = s;
                s += d.out();
                v = s;
                s += d.out();
            }
            ls.add(new Layer(d, w, b, g, be, m, v));
        }
        this.numParams = p;
        this.numState = s;
        this.params = new Blas.Buffer(paramsOrNull != null ? paramsOrNull : Nd4j.create(DataType.FLOAT, 1, p));
        this.state = new Blas.Buffer(stateOrNull != null ? stateOrNull : Nd4j.create(DataType.FLOAT, 1, Math.max(1, s)));
        if (params.flat.length() != p || state.flat.length() != Math.max(1, s)) {
            throw new IllegalArgumentException("parameter vector has " + params.flat.length() + " values, expected " + p);
        }
        for (Layer l : ls) {
            l.w = params.view(l.wOff, l.def.wRows(), l.def.wCols());
            l.b = params.view(l.bOff, 1, l.def.biasLength());
            if (l.def.batchNorm()) {
                l.gamma = params.view(l.gammaOff, 1, l.def.out());
                l.beta = params.view(l.betaOff, 1, l.def.out());
                l.runningMean = state.view(l.meanOff, 1, l.def.out());
                l.runningVar = state.view(l.varOff, 1, l.def.out());
            }
        }
        this.layers = Collections.unmodifiableList(ls);
    }

    /** Layer structure of the standard symmetric autoencoder for {@code cfg}. */
    static List<LayerDef> standardLayers(int inputDim, AutoencoderConfig cfg) {
        cfg.checkInputDim(inputDim);
        if (cfg.isConvolutional()) return convolutionalLayers(cfg);
        int[] h = cfg.getHiddenWidths();
        List<LayerDef> defs = new ArrayList<>();
        int prev = inputDim;
        for (int w : h) {
            defs.add(new LayerDef(prev, w, cfg.getActivation(), cfg.isBatchNorm(), true));
            prev = w;
        }
        defs.add(new LayerDef(prev, cfg.getEmbeddingDim(), Activation.IDENTITY, false, false));
        prev = cfg.getEmbeddingDim();
        for (int i = h.length - 1; i >= 0; i--) {
            defs.add(new LayerDef(prev, h[i], cfg.getActivation(), cfg.isBatchNorm(), true));
            prev = h[i];
        }
        defs.add(new LayerDef(prev, inputDim, Activation.IDENTITY, false, false));
        return defs;
    }

    /**
     * DEKM's convolutional autoencoder: convolutions (activation), flatten, dense hidden layers, linear embedding;
     * mirrored: dense hidden layers, dense to the last grid (activation), transposed convolutions (activation inside,
     * linear output).
     */
    private static List<LayerDef> convolutionalLayers(AutoencoderConfig cfg) {
        int[] shape = cfg.getImageShape();
        int[] ch = cfg.getConvChannels();
        int[] ks = cfg.getConvKernels();
        Activation act = cfg.getActivation();
        ConvGeometry[] g = new ConvGeometry[ch.length];
        int h = shape[0], w = shape[1], c = shape[2];
        for (int i = 0; i < ch.length; i++) {
            g[i] = ConvGeometry.same(h, w, c, ch[i], ks[i], cfg.getConvStride());
            h = g[i].gridH();
            w = g[i].gridW();
            c = g[i].gridC();
        }
        List<LayerDef> defs = new ArrayList<>();
        for (ConvGeometry gi : g) {
            defs.add(new LayerDef(gi.imageSize(), gi.gridSize(), act, false, true, Kind.CONV, gi));
        }
        int[] hidden = cfg.getHiddenWidths();
        int prev = g[g.length - 1].gridSize();
        for (int width : hidden) {
            defs.add(new LayerDef(prev, width, act, false, true));
            prev = width;
        }
        defs.add(new LayerDef(prev, cfg.getEmbeddingDim(), Activation.IDENTITY, false, false));
        prev = cfg.getEmbeddingDim();
        for (int i = hidden.length - 1; i >= 0; i--) {
            defs.add(new LayerDef(prev, hidden[i], act, false, true));
            prev = hidden[i];
        }
        defs.add(new LayerDef(prev, g[g.length - 1].gridSize(), act, false, true));
        for (int i = g.length - 1; i >= 0; i--) {
            boolean outputLayer = i == 0;
            defs.add(new LayerDef(g[i].gridSize(), g[i].imageSize(), outputLayer ? Activation.IDENTITY : act, false,
                    !outputLayer, Kind.DECONV, g[i]));
        }
        return defs;
    }

    /** Number of encoder layers (up to and including the embedding layer) of the standard autoencoder for cfg. */
    static int numEncoderLayers(AutoencoderConfig cfg) {
        return (cfg.isConvolutional() ? cfg.getConvChannels().length : 0) + cfg.getHiddenWidths().length + 1;
    }

    /**
     * A new autoencoder with uniform weights ({@link AutoencoderConfig#getWeightInit()}) drawn from a
     * {@link SplittableRandom} seeded with {@code seed} (reproducible), zero biases, batch-norm gamma 1, beta 0,
     * running mean 0, running variance 1.
     */
    public static Autoencoder create(int inputDim, AutoencoderConfig cfg, long seed) {
        if (cfg == null) throw new IllegalArgumentException("autoencoder configuration is null");
        List<LayerDef> defs = standardLayers(inputDim, cfg);
        Autoencoder ae = new Autoencoder(inputDim, cfg, defs, numEncoderLayers(cfg), null, null);
        ae.initialise(new SplittableRandom(seed));
        return ae;
    }

    void initialise(SplittableRandom rnd) {
        float[] p = new float[(int) numParams];
        for (Layer l : layers) {
            int out = l.def.out();
            double limit = l.def.initLimit(config.getWeightInit());
            for (long i = 0, n = (long) l.def.wRows() * l.def.wCols(); i < n; i++) {
                p[(int) (l.wOff + i)] = (float) ((2 * rnd.nextDouble() - 1) * limit);
            }
            if (l.def.batchNorm()) {
                for (int j = 0; j < out; j++) p[(int) (l.gammaOff + j)] = 1f;
            }
        }
        params.flat.assign(Nd4j.createFromArray(p).reshape(1, numParams));
        state.flat.assign(0);
        for (Layer l : layers) {
            if (l.def.batchNorm()) l.runningVar.assign(1);
        }
    }

    public int inputDim() { return inputDim; }

    public int embeddingDim() { return layers.get(numEncoderLayers - 1).def.out(); }

    public AutoencoderConfig config() { return config; }

    /** Number of trainable parameters (length of the parameter vector). */
    public long numParams() { return numParams; }

    List<Layer> layers() { return layers; }

    int numEncoderLayers() { return numEncoderLayers; }

    Blas.Buffer paramBuffer() { return params; }

    Blas.Buffer stateBuffer() { return state; }

    /** A copy of the flat parameter vector (1 x numParams). */
    public INDArray paramsCopy() { return params.flat.dup(); }

    /** A deep copy. */
    public Autoencoder copy() {
        return new Autoencoder(inputDim, config, layers.stream().map(l -> l.def).toList(), numEncoderLayers,
                params.flat.dup(), state.flat.dup());
    }

    /** Whether this is the convolutional autoencoder (see {@link AutoencoderConfig#getImageShape()}). */
    public boolean isConvolutional() { return config.isConvolutional(); }

    /**
     * Copies of the encoder's layers, input side first, for a fully connected autoencoder.
     *
     * @throws IllegalStateException for a convolutional autoencoder: use {@link #encoderStages()}
     */
    public List<DenseLayerParams> encoderLayers() {
        return denseOnly(encoderStages(), "encoderStages()");
    }

    /**
     * Copies of the decoder's layers, embedding side first, for a fully connected autoencoder.
     *
     * @throws IllegalStateException for a convolutional autoencoder: use {@link #decoderStages()}
     */
    public List<DenseLayerParams> decoderLayers() {
        return denseOnly(decoderStages(), "decoderStages()");
    }

    /** Copies of the encoder's layers (dense or convolutional), input side first. */
    public List<LayerParams> encoderStages() {
        return layerParams(0, numEncoderLayers);
    }

    /** Copies of the decoder's layers (dense or transposed convolutional), embedding side first. */
    public List<LayerParams> decoderStages() {
        return layerParams(numEncoderLayers, layers.size());
    }

    private List<DenseLayerParams> denseOnly(List<LayerParams> stages, String alternative) {
        List<DenseLayerParams> out = new ArrayList<>();
        for (LayerParams p : stages) {
            if (!(p instanceof DenseLayerParams d)) {
                throw new IllegalStateException("this autoencoder has convolutional layers (imageShape "
                        + java.util.Arrays.toString(config.getImageShape()) + "); use " + alternative);
            }
            out.add(d);
        }
        return Collections.unmodifiableList(out);
    }

    private List<LayerParams> layerParams(int from, int to) {
        List<LayerParams> out = new ArrayList<>();
        for (Layer l : layers.subList(from, to)) {
            if (l.def.kind() != Kind.DENSE) {
                out.add(new Conv2dLayerParams(l.def.conv(), l.def.kind() == Kind.DECONV, l.w.dup(), l.b.dup(),
                        l.def.activation()));
                continue;
            }
            BatchNormParams bn = l.def.batchNorm()
                    ? new BatchNormParams(l.gamma.dup(), l.beta.dup(), l.runningMean.dup(), l.runningVar.dup(),
                    config.getBatchNormEps())
                    : null;
            out.add(new DenseLayerParams(l.w.dup(), l.b.dup(), l.def.activation(), bn));
        }
        return Collections.unmodifiableList(out);
    }

    /** Embeddings (n x embeddingDim) of the rows of {@code x} (n x inputDim), inference mode. */
    public INDArray encode(INDArray x) {
        return infer(x, numEncoderLayers);
    }

    /** Reconstructions (n x inputDim) of the rows of {@code x}, inference mode (no dropout/noise, BN running stats). */
    public INDArray reconstruct(INDArray x) {
        return infer(x, layers.size());
    }

    /** Decodes embeddings (n x embeddingDim) to n x inputDim, inference mode. */
    public INDArray decode(INDArray z) {
        checkInput(z, embeddingDim(), "embedding");
        return run(z, numEncoderLayers, layers.size());
    }

    private INDArray infer(INDArray x, int toLayer) {
        checkInput(x, inputDim, "input");
        return run(x, 0, toLayer);
    }

    private static void checkInput(INDArray x, int expected, String what) {
        if (x == null) throw new IllegalArgumentException(what + " is null");
        if (x.rank() != 2) throw new IllegalArgumentException(what + " must be a matrix (rank 2), got rank " + x.rank());
        if (x.columns() != expected) {
            throw new IllegalArgumentException(what + " has " + x.columns() + " columns, expected " + expected);
        }
    }

    private INDArray run(INDArray x, int fromLayer, int toLayer) {
        long n = x.rows();
        int outDim = layers.get(toLayer - 1).def.out();
        INDArray result = Nd4j.create(DataType.FLOAT, n, outDim);
        int chunk = INFERENCE_BATCH;
        long maxCols = 0;
        int maxWidth = layers.get(fromLayer).def.in();
        for (Layer l : layers.subList(fromLayer, toLayer)) {
            maxWidth = Math.max(maxWidth, l.def.out());
            if (l.def.kind() != Kind.DENSE) maxCols = Math.max(maxCols, (long) l.def.conv().gridPixels() * l.def.conv().colWidth());
        }
        if (maxCols > 0) chunk = (int) Math.max(1, Math.min(INFERENCE_BATCH, CONV_INFERENCE_VALUES / maxCols));
        if (Engine.selected() == Engine.Kind.ND4J) {
            if (maxCols > 0) {
                throw Engine.unsupported("inference of the convolutional autoencoder (imageShape "
                        + java.util.Arrays.toString(config.getImageShape()) + ")");
            }
            for (long r = 0; r < n; r += chunk) {
                long e = Math.min(n, r + chunk);
                INDArray cur = x.get(NDArrayIndex.interval(r, e), NDArrayIndex.all()).castTo(DataType.FLOAT).dup('c');
                for (int li = fromLayer; li < toLayer; li++) {
                    INDArray next = inferLayerNd4j(cur, layers.get(li));
                    release(cur);
                    cur = next;
                }
                result.get(NDArrayIndex.interval(r, e), NDArrayIndex.all()).assign(cur);
                release(cur);
            }
            return result;
        }
        // CPU engine: two ping-pong activation buffers and one im2col buffer, allocated once for all chunks. Fresh
        // buffers per chunk and layer made the convolutional encoder 7x slower (20,000 MNIST rows: 24-30 s instead of
        // 3.6 s; ND4J zero-fills and the kernel page-faults tens of MB per chunk), which DEKM pays every round.
        int rowsPerChunk = (int) Math.min(chunk, n);
        Blas.Buffer[] act = {new Blas.Buffer((long) rowsPerChunk * maxWidth), new Blas.Buffer((long) rowsPerChunk * maxWidth)};
        Blas.Buffer cols = maxCols > 0 ? new Blas.Buffer(rowsPerChunk * maxCols) : null;
        try {
            int inDim = layers.get(fromLayer).def.in();
            for (long r = 0; r < n; r += chunk) {
                long e = Math.min(n, r + chunk);
                int rows = (int) (e - r);
                act[0].view(0, rows, inDim).assign(x.get(NDArrayIndex.interval(r, e), NDArrayIndex.all()).castTo(DataType.FLOAT));
                int cur = 0;
                for (int li = fromLayer; li < toLayer; li++) {
                    inferLayer(layers.get(li), rows, act[cur], act[1 - cur], cols);
                    cur = 1 - cur;
                }
                result.get(NDArrayIndex.interval(r, e), NDArrayIndex.all()).assign(act[cur].view(0, rows, outDim));
            }
        } finally {
            release(act[0].flat);
            release(act[1].flat);
            if (cols != null) release(cols.flat);
        }
        return result;
    }

    /**
     * Frees a buffer now. Off-heap buffers are otherwise freed only when the garbage collector finds their Java
     * objects, which a large heap postpones: encoding all 70,000 MNIST rows every few hundred iterations (DEC/IDEC
     * targets) then grew the process to 14 GB.
     */
    private static void release(INDArray a) {
        if (a.data().closeable()) a.data().close();
    }

    /** One layer in inference mode: {@code rows} rows of {@code in} (row-major, in-width) to {@code out}. */
    private void inferLayer(Layer l, int rows, Blas.Buffer in, Blas.Buffer out, Blas.Buffer cols) {
        if (l.def.kind() != Kind.DENSE) {
            inferConvLayer(l, rows, in, out, cols);
            return;
        }
        if (rows <= FEW_ROWS) { // e.g. Weka predicting one instance at a time
            Blas.rowsTimesMatrix(rows, l.def.out(), l.def.in(), in.ptr(0), params.ptr(l.wOff), out.ptr(0));
        } else {
            Blas.gemm(false, false, rows, l.def.out(), l.def.in(), in.ptr(0), l.def.in(), params.ptr(l.wOff), l.def.out(), 0f,
                    out.ptr(0), l.def.out());
        }
        Activation act = l.def.activation();
        if (!l.def.batchNorm() && Kernels.fuses(act)) {
            Kernels.biasActivate(out.ptr(0), params.ptr(l.bOff), rows, l.def.out(), act); // as the training engine
            return;
        }
        INDArray z = out.view(0, rows, l.def.out());
        z.addiRowVector(l.b);
        if (l.def.batchNorm()) {
            Ops.batchNormInference(z, l, config.getBatchNormEps());
        }
        Ops.activate(z, l.def.activation());
    }

    /** One dense layer in inference mode with ND4J operations only (the portable engine, any backend). */
    private INDArray inferLayerNd4j(INDArray x, Layer l) {
        INDArray z = x.mmul(l.w);
        z.addiRowVector(l.b);
        if (l.def.batchNorm()) {
            Ops.batchNormInference(z, l, config.getBatchNormEps());
        }
        Ops.activate(z, l.def.activation());
        return z;
    }

    /** A (transposed) convolution in inference mode: im2col + GEMM (or GEMM + col2im), bias, activation. */
    private void inferConvLayer(Layer l, int rows, Blas.Buffer in, Blas.Buffer out, Blas.Buffer cols) {
        ConvGeometry g = l.def.conv();
        if (l.def.kind() == Kind.CONV) {
            ConvOps.convForward(g, rows, in.ptr(0), cols.ptr(0), params.ptr(l.wOff), out.ptr(0));
        } else {
            ConvOps.deconvForward(g, rows, in.ptr(0), cols.ptr(0), params.ptr(l.wOff), out.ptr(0));
        }
        int channels = l.def.biasLength();
        int pixels = l.def.out() / channels;
        if (Kernels.fuses(l.def.activation())) {
            Kernels.biasActivate(out.ptr(0), params.ptr(l.bOff), rows * pixels, channels, l.def.activation());
            return;
        }
        INDArray z = out.view(0, (long) rows * pixels, channels);
        z.addiRowVector(l.b);
        Ops.activate(z, l.def.activation());
    }

    // ------------------------------------------------------------------ serialisation

    /**
     * Writes the model: magic "DCAE", int32 format version, int32 length + UTF-8 JSON header (config, input size, vector
     * lengths), then the parameter vector and the state vector as float32; all numbers little-endian.
     */
    public void write(OutputStream os) throws IOException {
        ObjectNode h = JSON.createObjectNode();
        h.put("format", "deepclustering-autoencoder");
        h.put("version", FORMAT_VERSION);
        h.put("inputDim", inputDim);
        h.set("config", JSON.valueToTree(config));
        h.put("numParams", numParams);
        h.put("numState", state.flat.length());
        byte[] header = JSON.writeValueAsBytes(h);
        DataOutputStream out = new DataOutputStream(os);
        out.write(MAGIC);
        out.writeInt(Integer.reverseBytes(FORMAT_VERSION));
        out.writeInt(Integer.reverseBytes(header.length));
        out.write(header);
        writeFloats(out, params.flat.data().asFloat());
        writeFloats(out, state.flat.data().asFloat());
        out.flush();
    }

    /** Reads a model written by {@link #write(OutputStream)}. */
    public static Autoencoder read(InputStream is) throws IOException {
        DataInputStream in = new DataInputStream(is);
        byte[] magic = new byte[4];
        in.readFully(magic);
        if (magic[0] != 'D' || magic[1] != 'C' || magic[2] != 'A' || magic[3] != 'E') {
            throw new IOException("not a deep-clustering autoencoder stream (bad magic)");
        }
        int version = Integer.reverseBytes(in.readInt());
        if (version != FORMAT_VERSION) throw new IOException("unsupported autoencoder format version " + version);
        int len = Integer.reverseBytes(in.readInt());
        if (len <= 0 || len > (1 << 24)) throw new IOException("bad header length " + len);
        byte[] header = new byte[len];
        in.readFully(header);
        JsonNode h = JSON.readTree(new String(header, StandardCharsets.UTF_8));
        int inputDim = h.get("inputDim").asInt();
        AutoencoderConfig cfg = JSON.treeToValue(h.get("config"), AutoencoderConfig.class);
        long np = h.get("numParams").asLong();
        long ns = h.get("numState").asLong();
        float[] p = readFloats(in, np);
        float[] s = readFloats(in, ns);
        List<LayerDef> defs = standardLayers(inputDim, cfg);
        return new Autoencoder(inputDim, cfg, defs, numEncoderLayers(cfg),
                Nd4j.createFromArray(p).reshape(1, np), Nd4j.createFromArray(s).reshape(1, ns));
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer bb = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            if (!bb.hasRemaining()) {
                out.write(bb.array(), 0, bb.position());
                bb.clear();
            }
            bb.putFloat(f);
        }
        out.write(bb.array(), 0, bb.position());
    }

    private static float[] readFloats(DataInputStream in, long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE) throw new IOException("bad vector length " + n);
        float[] v = new float[(int) n];
        byte[] buf = new byte[1 << 16];
        int i = 0;
        while (i < n) {
            int bytes = (int) Math.min(buf.length, (n - i) * 4L);
            in.readFully(buf, 0, bytes);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < bytes / 4; k++) v[i++] = bb.getFloat();
        }
        return v;
    }
}
