package weka.clusterers.deepclustering;

import java.awt.Component;
import java.awt.Container;
import java.awt.GraphicsEnvironment;
import java.awt.Window;
import java.util.ArrayList;
import java.util.List;
import weka.gui.LogPanel;
import weka.gui.Logger;

/**
 * The log of the Weka Explorer window the clusterer runs in. Weka's Cluster tab, unlike its Classify tab, does not
 * pass its log to a {@link weka.core.LogHandler} clusterer; this finds the Explorer's {@link LogPanel} (its status
 * bar and Log window) so training progress shows there. Only an unambiguous match is used: exactly one showing
 * window with exactly one log panel.
 */
final class ExplorerLog {
  private ExplorerLog() {}

  /** The one log panel of the one showing Weka window, or null (headless, none, or several). */
  static Logger find() {
    if (GraphicsEnvironment.isHeadless()) return null;
    List<LogPanel> found = new ArrayList<>();
    for (Window w : Window.getWindows()) {
      if (w.isShowing()) collect(w, found);
    }
    return found.size() == 1 ? found.get(0) : null;
  }

  private static void collect(Component c, List<LogPanel> found) {
    if (c instanceof LogPanel log) {
      found.add(log);
      return;
    }
    if (c instanceof Container parent) {
      for (Component child : parent.getComponents()) collect(child, found);
    }
  }
}
