package org.deepclustering.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deepclustering.data.DataValidation;
import org.deepclustering.data.Dataset;
import org.deepclustering.data.Scaler;
import org.deepclustering.data.Scaling;
import org.deepclustering.nn.Autoencoder;
import org.deepclustering.nn.AutoencoderConfig;
import org.deepclustering.nn.Pretrainer;
import org.deepclustering.nn.PretrainingConfig;
import org.deepclustering.train.TrainingListener;
import org.deepclustering.train.TrainingMonitor;

/**
 * An autoencoder pretrained on scaled data, together with that scaling: what every method starts its clustering
 * stage from. Save it once and pass it to several methods' {@code fit} so they share one pretraining.
 *
 * @param scaler the input scaling the autoencoder was trained with
 * @param autoencoder the pretrained network (never modified by the methods, which train copies)
 * @param epochs pretraining epochs run (end to end)
 * @param layerwiseEpochs epochs per layer of the greedy layer-wise stage run before them (0: none)
 * @param seconds pretraining wall time
 * @param finalLoss reconstruction loss (MSE) of the last epoch
 */
public record PretrainedAutoencoder(Scaler scaler, Autoencoder autoencoder, int epochs, int layerwiseEpochs, double seconds,
    double finalLoss) {
  public PretrainedAutoencoder {
    Objects.requireNonNull(scaler, "scaler");
    Objects.requireNonNull(autoencoder, "autoencoder");
    if (scaler.inputDim() != autoencoder.inputDim()) {
      throw new IllegalArgumentException("scaler has " + scaler.inputDim() + " features, autoencoder " + autoencoder.inputDim());
    }
  }

  /** Fits the scaling on {@code data}, then pretrains a new autoencoder on the scaled data. */
  public static PretrainedAutoencoder train(Dataset data, Scaling scaling, AutoencoderConfig architecture,
      PretrainingConfig pretraining, long seed, TrainingListener... listeners) {
    return train(data, scaling, architecture, pretraining, seed, new int[0], null, listeners);
  }

  /**
   * As {@link #train(Dataset, Scaling, AutoencoderConfig, PretrainingConfig, long, TrainingListener...)}, handing
   * {@code snapshots} a copy of the autoencoder as it stands after each of {@code snapshotEpochs} (each in 1..epochs):
   * one pretraining run then yields the networks of several training lengths, e.g. to save the 50- and 100-epoch
   * networks of a 200-epoch run. A snapshot's {@code seconds} are the pretraining time up to its epoch.
   */
  public static PretrainedAutoencoder train(Dataset data, Scaling scaling, AutoencoderConfig architecture,
      PretrainingConfig pretraining, long seed, int[] snapshotEpochs, Consumer<PretrainedAutoencoder> snapshots,
      TrainingListener... listeners) {
    for (int epoch : snapshotEpochs) {
      if (epoch < 1 || epoch > pretraining.getEpochs()) {
        throw new IllegalArgumentException("snapshot epoch " + epoch + " is outside the pretraining's 1.."
            + pretraining.getEpochs() + " epochs: give epochs within that range, or more pretraining epochs");
      }
    }
    if (snapshotEpochs.length > 0) Objects.requireNonNull(snapshots, "snapshots");
    DataValidation.requireUsableTrainingData(data);
    Scaler scaler = Scaler.fit(data, scaling);
    Dataset scaled = scaler.transform(data);
    long start = System.nanoTime();
    double[] lastLoss = {Double.NaN};
    List<TrainingListener> all = new ArrayList<>(Arrays.asList(listeners));
    all.add(e -> {
      if (e.stage().equals("pretraining")) lastLoss[0] = e.losses().getOrDefault("reconstruction", Double.NaN);
    });
    int layerwiseEpochs = pretraining.layerwiseEpochsRun();
    Set<Integer> at = Arrays.stream(snapshotEpochs).boxed().collect(Collectors.toSet());
    ObjIntConsumer<Autoencoder> afterEpoch = at.isEmpty() ? null : (ae, epoch) -> {
      if (at.contains(epoch)) {
        double secondsSoFar = (System.nanoTime() - start) / 1e9;
        snapshots.accept(new PretrainedAutoencoder(scaler, ae.copy(), epoch, layerwiseEpochs, secondsSoFar, lastLoss[0]));
      }
    };
    Autoencoder trained = new Pretrainer(architecture, pretraining).pretrain(scaled.toINDArray(), null, seed,
        new TrainingMonitor(all), afterEpoch);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new PretrainedAutoencoder(scaler, trained, pretraining.getEpochs(), layerwiseEpochs, seconds, lastLoss[0]);
  }

  /** Checks the data fits this autoencoder (same number of features). */
  public void requireCompatible(Dataset data) {
    DataValidation.requireColumns(data, scaler.inputDim());
  }

  public void save(Path path) throws IOException {
    try (OutputStream out = Files.newOutputStream(path)) {
      write(out);
    }
  }

  public static PretrainedAutoencoder load(Path path) throws IOException {
    try (InputStream in = Files.newInputStream(path)) {
      return read(in);
    }
  }

  public void write(OutputStream out) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    ObjectNode meta = ClusteringModel.JSON.createObjectNode();
    meta.put("formatVersion", ClusteringModel.FORMAT_VERSION);
    meta.put("kind", "pretrained-autoencoder");
    meta.put("library", "deep-clustering " + LibraryVersion.get());
    meta.set("scaler", ClusteringModel.JSON.valueToTree(scaler));
    meta.put("epochs", epochs);
    meta.put("layerwiseEpochs", layerwiseEpochs);
    meta.put("seconds", seconds);
    meta.put("finalLoss", finalLoss);
    zip.putNextEntry(new ZipEntry("pretrained.json"));
    zip.write(ClusteringModel.JSON.writeValueAsBytes(meta));
    zip.closeEntry();
    zip.putNextEntry(new ZipEntry("autoencoder.bin"));
    autoencoder.write(zip);
    zip.closeEntry();
    zip.finish();
    out.flush();
  }

  public static PretrainedAutoencoder read(InputStream in) throws IOException {
    ZipInputStream zip = new ZipInputStream(in);
    JsonNode meta = null;
    Autoencoder ae = null;
    for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
      byte[] bytes = zip.readAllBytes();
      if (e.getName().equals("pretrained.json")) meta = ClusteringModel.JSON.readTree(bytes);
      if (e.getName().equals("autoencoder.bin")) ae = Autoencoder.read(new ByteArrayInputStream(bytes));
    }
    if (meta == null || ae == null) {
      throw new IOException("not a pretrained-autoencoder file (pretrained.json or autoencoder.bin missing)"
          + (meta == null && ae != null ? "; is it a clustering model? use ClusteringModel.load" : ""));
    }
    return new PretrainedAutoencoder(ClusteringModel.JSON.treeToValue(meta.get("scaler"), Scaler.class), ae,
        meta.path("epochs").asInt(), meta.path("layerwiseEpochs").asInt(0), meta.path("seconds").asDouble(),
        meta.path("finalLoss").asDouble());
  }

  /** Feature count the autoencoder expects. */
  public int inputDim() { return scaler.inputDim(); }

  @Override
  public String toString() {
    return "PretrainedAutoencoder[" + autoencoder.inputDim() + " -> " + autoencoder.embeddingDim() + ", " + epochs + " epochs, loss "
        + finalLoss + ", scaling " + scaler.scaling() + "]";
  }

}
