package weka.clusterers.deepclustering.gui;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.File;
import java.lang.reflect.Field;
import javax.imageio.ImageIO;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JTextArea;
import javax.swing.SwingUtilities;
import weka.clusterers.Clusterer;
import weka.core.Utils;
import weka.core.WekaPackageManager;
import weka.gui.GenericObjectEditor;
import weka.gui.explorer.ClustererPanel;
import weka.gui.explorer.Explorer;
import weka.gui.explorer.ExplorerDefaults;

/**
 * Evidence a person would see: starts the real Weka Explorer (packages loaded from WEKA_HOME, where the package zip
 * was installed), loads a data set, selects a clusterer in the Cluster tab, clicks Start, waits for the result and saves
 * a PNG screenshot. Run by {@code weka-package/scripts/explorer-screenshot.sh} under Xvfb; not part of the test suite.
 *
 * <p>Arguments: data file, clusterer class name and options (one string), output PNG.
 */
public final class ExplorerScreenshot {
  public static void main(String[] args) throws Exception {
    File data = new File(args[0]);
    String[] spec = Utils.splitOptions(args[1]);
    File png = new File(args[2]);
    WekaPackageManager.loadPackages(false, true, false);
    String name = spec[0];
    spec[0] = "";
    Clusterer clusterer = (Clusterer) weka.core.WekaPackageClassLoaderManager.forName(name).getDeclaredConstructor().newInstance();
    ((weka.core.OptionHandler) clusterer).setOptions(spec);

    Explorer[] explorer = new Explorer[1];
    JFrame[] frame = new JFrame[1];
    SwingUtilities.invokeAndWait(() -> {
      explorer[0] = new Explorer();
      frame[0] = new JFrame("Weka Explorer");
      frame[0].getContentPane().add(explorer[0]);
      frame[0].setSize(1200, 860);
      frame[0].setLocation(0, 0);
      frame[0].setVisible(true);
    });
    weka.core.Instances instances = new weka.core.converters.ConverterUtils.DataSource(data.getPath()).getDataSet();
    SwingUtilities.invokeAndWait(() -> explorer[0].getPreprocessPanel().setInstances(instances));
    ClustererPanel panel = null;
    for (Object p : explorer[0].getPanels()) if (p instanceof ClustererPanel c) panel = c;
    ClustererPanel cp = panel;
    JTextArea out = (JTextArea) field(cp, "m_OutText");
    JButton start = (JButton) field(cp, "m_StartBut");
    GenericObjectEditor editor = (GenericObjectEditor) field(cp, "m_ClustererEditor");
    javax.swing.JRadioButton classesToClusters = (javax.swing.JRadioButton) field(cp, "m_ClassesToClustersBut");
    SwingUtilities.invokeAndWait(() -> {
      explorer[0].getTabbedPane().setSelectedComponent(cp);
      classesToClusters.doClick(); // evaluate against the class attribute, which is then not used for clustering
      editor.setValue(clusterer);
      cp.repaint();
    });
    Thread.sleep(1000);
    SwingUtilities.invokeAndWait(start::doClick);
    long deadline = System.currentTimeMillis() + 10 * 60_000;
    while (System.currentTimeMillis() < deadline && !out.getText().contains("Clustered Instances")) Thread.sleep(500);
    if (!out.getText().contains("Clustered Instances")) throw new IllegalStateException("no result: " + out.getText());
    // scroll so that the clusterer's report and the classes-to-clusters table are in view
    SwingUtilities.invokeAndWait(() -> out.setCaretPosition(Math.max(0, out.getText().indexOf("=== Clustering model"))));
    Thread.sleep(1500);
    // the training progress must have reached the Explorer's own log (Log window), not only the console
    String log = textOfLogPanel(frame[0]);
    System.out.println("Explorer log:\n" + log);
    if (!log.contains("pretraining") || !log.contains("clustering")) {
      throw new IllegalStateException("no training progress in the Explorer's log");
    }
    Rectangle r = frame[0].getBounds();
    BufferedImage image = new Robot().createScreenCapture(r);
    png.getParentFile().mkdirs();
    ImageIO.write(image, "png", png);
    System.out.println("wrote " + png);
    System.exit(0);
  }

  /** The text of the Explorer's log (weka.gui.LogPanel keeps it in a JTextArea shown in a separate window). */
  private static String textOfLogPanel(java.awt.Container root) throws Exception {
    for (java.awt.Component c : root.getComponents()) {
      if (c instanceof weka.gui.LogPanel log) return ((javax.swing.JTextArea) field(log, "m_LogText")).getText();
      if (c instanceof java.awt.Container child) {
        String t = textOfLogPanel(child);
        if (!t.isEmpty()) return t;
      }
    }
    return "";
  }

  private static Object field(Object target, String name) throws Exception {
    Class<?> c = target.getClass();
    while (c != null) {
      try {
        Field f = c.getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
      } catch (NoSuchFieldException e) {
        c = c.getSuperclass();
      }
    }
    throw new NoSuchFieldException(name);
  }

  private ExplorerScreenshot() {}
}
