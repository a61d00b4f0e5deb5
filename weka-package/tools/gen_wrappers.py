# Generates the thin Weka wrappers in src/main/java/weka/clusterers (one per core method).
# Run: python3 weka-package/tools/gen_wrappers.py   (from the repository root); the output is committed.
import os, textwrap
OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'main', 'java', 'weka', 'clusterers')

CITE = {
 'dec': dict(type='INPROCEEDINGS', AUTHOR='Junyuan Xie and Ross Girshick and Ali Farhadi', TITLE='Unsupervised Deep Embedding for Clustering Analysis',
             BOOKTITLE='Proceedings of the 33rd International Conference on Machine Learning (ICML), PMLR 48', YEAR='2016', PAGES='478-487'),
 'idec': dict(type='INPROCEEDINGS', AUTHOR='Xifeng Guo and Long Gao and Xinwang Liu and Jianping Yin', TITLE='Improved Deep Embedded Clustering with Local Structure Preservation',
             BOOKTITLE='Proceedings of the 26th International Joint Conference on Artificial Intelligence (IJCAI)', YEAR='2017', PAGES='1753-1759'),
 'dcn': dict(type='INPROCEEDINGS', AUTHOR='Bo Yang and Xiao Fu and Nicholas D. Sidiropoulos and Mingyi Hong', TITLE='Towards K-means-friendly Spaces: Simultaneous Deep Learning and Clustering',
             BOOKTITLE='Proceedings of the 34th International Conference on Machine Learning (ICML), PMLR 70', YEAR='2017', PAGES='3861-3870'),
 'dekm': dict(type='INPROCEEDINGS', AUTHOR='Wengang Guo and Kaiyan Lin and Wei Ye', TITLE='Deep Embedded K-Means Clustering',
             BOOKTITLE='2021 International Conference on Data Mining Workshops (ICDMW)', YEAR='2021', PAGES='686-694'),
 'dc': dict(type='INPROCEEDINGS', AUTHOR='Kai Tian and Shuigeng Zhou and Jihong Guan', TITLE='DeepCluster: A General Clustering Framework Based on Deep Learning',
             BOOKTITLE='Machine Learning and Knowledge Discovery in Databases (ECML PKDD 2017), LNCS 10535', YEAR='2017', PAGES='809-825'),
}

I, D, B, T = 'int', 'double', 'boolean', 'SelectedTag'  # T: a core enum, shown as a drop-down
KM = ('kmeansRestarts', I, '20', 'k-means++ restarts on the pretrained embedding (initial centroids), keeping the lowest inertia.')

STAGE_OPTIMIZER = ('optimizer', T, 'ADAM', 'Optimizer of the clustering stage: ADAM (paper, MNIST) or SGD_MOMENTUM (paper, USPS '
                   'and Reuters; the DEC code).')
# enum options: field -> (the core enum whose values the drop-down offers, its value names for the command-line
# synopsis; keep them in step with the enum, the drop-down itself reads the enum)
ENUMS = {'optimizer': ('org.deepclustering.algorithms.ClusteringOptimizer', ['ADAM', 'SGD_MOMENTUM'])}

SPECS = [
 ('AutoencoderKMeans', 'ae-kmeans', 'dec',
  'AE+KMeans, the baseline of the DEC, IDEC and DCN papers: pretrains an autoencoder on the data, then runs k-means on the '
  'embeddings. The encoder is not changed by clustering. Fast and a good first try; the deep methods (IDEC, DCN, DEKM) '
  'usually improve on it when the embedding is not yet cluster-friendly. Hard assignments; distributionForInstance gives '
  'a distance-based fallback.',
  [KM, ('kmeansMaxIterations', I, '300', 'Lloyd iterations per k-means restart.')]),
 ('AutoencoderGMM', 'ae-gmm', 'dc',
  'AE+GMM, a baseline of the DeepCluster paper: pretrains an autoencoder, then fits a Gaussian mixture (EM, full '
  'covariances) to the embeddings. Use it when clusters in the embedding are elliptical or of different sizes; '
  'distributionForInstance gives the mixture posteriors.',
  [('restarts', I, '10', 'EM restarts, each from its own k-means initialisation, keeping the highest likelihood '
    '(as DC-GMM\'s initial mixture).'),
   ('maxIterations', I, '200', 'EM iterations per restart.'),
   ('relativeCovarianceRegularisation', D, '0.01', 'Added to each covariance diagonal, as a fraction of the mean '
    'per-coordinate variance of the pretrained embedding (keeps mixture components from collapsing; as DC-GMM).')]),
 ('DCN', 'dcn', 'dcn',
  'DCN (Deep Clustering Network): trains the autoencoder and k-means jointly, adding lambda/2 times the squared '
  'distance of each embedding to its assigned centroid to the reconstruction loss, with alternating updates of '
  'network, assignments and centroids (running-count centroid updates). Use it for k-means-like clusters; hard '
  'assignments, distributionForInstance gives a distance-based fallback.',
  [('lambda', D, '0.05', 'Weight of the clustering loss against reconstruction (paper: 0.05 on MNIST; tune per data set).'),
   ('epochs', I, '50', 'Joint training epochs.'),
   ('batchSize', I, '0', 'Mini-batch size of joint training; 0 = automatic (1 % of the instances, as the paper).'),
   ('learningRate', D, '0.05', 'SGD learning rate of joint training (paper: 0.05).'),
   ('momentum', D, '0.9', 'SGD momentum of joint training.'),
   ('initialCount', I, '100', 'Initial per-centroid count of the running-average centroid update.'),
   KM,
   ('kmeansRefreshEpochs', I, '0', 'Every this many epochs, re-run k-means (Lloyd, from the current centroids) on all '
    'embeddings and take its centroids and assignments; 0 = never (the paper). The authors\' second code: 10.')]),
 ('DEC', 'dec', 'dec',
  'DEC (Deep Embedded Clustering): drops the decoder and fine-tunes the encoder with cluster centres by minimising '
  'KL(P||Q) between Student\'s t soft assignments Q and a sharpened target distribution P. Soft assignments; may '
  'distort the embedding on some data (IDEC keeps the decoder to prevent that).',
  [('alpha', D, '1.0', 'Degrees of freedom of the Student\'s t kernel (paper: 1).'),
   ('updateInterval', I, '140', 'Iterations between target distribution updates.'),
   ('tolerance', D, '0.001', 'Stop when fewer than this fraction of assignments change between target updates (paper: 0.1 %).'),
   ('maxIterations', I, '20000', 'Maximum mini-batch iterations.'),
   ('batchSize', I, '256', 'Mini-batch size.'),
   ('learningRate', D, '0.001', 'Learning rate of the clustering stage (paper: Adam 0.001 on MNIST, SGD 0.1 on USPS and Reuters; DEC code: SGD 0.01).'),
   STAGE_OPTIMIZER,
   ('momentum', D, '0.99', 'Momentum of SGD_MOMENTUM (paper: 0.99; DEC code: 0.9); not used by ADAM.'),
   KM]),
 ('IDEC', 'idec', 'idec',
  'IDEC (Improved Deep Embedded Clustering): DEC\'s KL clustering loss plus the autoencoder\'s reconstruction loss '
  '(weight 1 vs. gamma), which preserves the local structure of the data. Soft assignments (Student\'s t). Usually '
  'the best first deep method to try.',
  [('alpha', D, '1.0', 'Degrees of freedom of the Student\'s t kernel (paper: 1).'),
   ('gamma', D, '0.1', 'Weight of the clustering (KL) loss against reconstruction (paper: 0.1).'),
   ('updateInterval', I, '140', 'Iterations between target distribution updates.'),
   ('tolerance', D, '0.001', 'Stop when fewer than this fraction of assignments change between target updates (paper: 0.1 %).'),
   ('maxIterations', I, '20000', 'Maximum mini-batch iterations.'),
   ('batchSize', I, '256', 'Mini-batch size.'),
   ('learningRate', D, '0.001', 'Learning rate of the clustering stage (paper: Adam 0.001 on MNIST, SGD 0.1 on USPS and Reuters). With SGD_MOMENTUM use 1/gamma times DEC\'s rate (0.1 for gamma 0.1): gamma scales the clustering step.'),
   STAGE_OPTIMIZER,
   ('momentum', D, '0.99', 'Momentum of SGD_MOMENTUM (paper: 0.99; DEC code: 0.9); not used by ADAM.'),
   KM]),
 ('DEKM', 'dekm', 'dekm',
  'DEKM (Deep Embedded K-Means): k-means in an orthonormally transformed embedding in which the last dimension(s) '
  'carry no cluster information; the encoder is trained to make the embedding k-means-friendly in that space. Hard '
  'assignments, distributionForInstance gives a distance-based fallback.',
  [('updateInterval', I, '10', 'Encoder updates per round between two k-means/transformation updates (authors: 10 for the dense autoencoder, 40 for the convolutional one).'),
   ('tolerance', D, '0.001', 'Stop when fewer than this fraction of assignments change between updates.'),
   ('maxIterations', I, '14000', 'Maximum iterations.'),
   ('batchSize', I, '256', 'Mini-batch size.'),
   ('learningRate', D, '0.001', 'Learning rate of the clustering stage.'),
   ('kmeansRestarts', I, '10', 'k-means++ restarts on the embedding, keeping the lowest inertia.'),
   ('fullBatch', B, 'false', 'Full-batch updates instead of mini-batches.')]),
 ('DeepClusterKMeans', 'dc-kmeans', 'dc',
  'DC-Kmeans (DeepCluster with k-means): alternates between training the autoencoder with a k-means clustering loss '
  'on the embedding (ADMM-style with auxiliary variables) and updating assignments and centroids. Hard assignments; '
  'distributionForInstance gives a distance-based fallback.',
  [('rho', D, '1.0', 'ADMM penalty parameter (the authors\' code: 1 for DC-Kmeans).'),
   ('lambda', D, '1.0', 'Weight of the clustering loss.'),
   ('alpha', D, '1.0', 'Weight of the auxiliary-variable coupling.'),
   ('maxIterations', I, '200', 'Maximum outer iterations.'),
   ('tolerance', D, '0.001', 'Stop when fewer than this fraction of assignments change between iterations.'),
   ('batchSize', I, '100', 'Mini-batch size.'),
   ('learningRate', D, '1e-4', 'Adam learning rate of the network step (the authors used AdaDelta).'),
   KM[:2] + ('10',) + KM[3:]]),
 ('DeepClusterGMM', 'dc-gmm', 'dc',
  'DC-GMM (DeepCluster with a Gaussian mixture): as DC-Kmeans but the clustering model is a Gaussian mixture; '
  'distributionForInstance gives the mixture posteriors. Use it for elliptical clusters of different sizes.',
  [('rho', D, '1000.0', 'ADMM penalty parameter (the authors\' code: 1000 for DC-GMM).'),
   ('lambda', D, '1.0', 'Weight of the clustering loss.'),
   ('alpha', D, '1.0', 'Weight of the auxiliary-variable coupling.'),
   ('maxIterations', I, '200', 'Maximum outer iterations.'),
   ('tolerance', D, '0.001', 'Stop when fewer than this fraction of assignments change between iterations.'),
   ('batchSize', I, '100', 'Mini-batch size.'),
   ('learningRate', D, '1e-4', 'Adam learning rate of the network step (the authors used AdaDelta).'),
   KM[:2] + ('10',) + KM[3:],
   ('relativeCovarianceRegularisation', D, '0.01', 'Added to each covariance diagonal, as a fraction of the mean '
    'per-coordinate variance of the pretrained embedding (keeps mixture components from collapsing).')]),
]

BOX = {I: 'Integer', D: 'Double', B: 'Boolean', T: 'String'}
def lit(t, v):
    return {I: v, D: (v if ('.' in v or 'e' in v) else v + '.0'), B: v}[t]

# Bean property names that differ from the core field: Weka's BatchPredictor (implemented by AbstractDeepClusterer
# for fast batch prediction) owns getBatchSize()/setBatchSize(String), so the training mini-batch is the bean property
# miniBatchSize; its display name and command-line flag stay -batchSize.
BEAN = {'batchSize': 'MiniBatchSize'}
# Method-option names that collide with a shared option of AbstractDeepClusterer (bean property and command-line flag):
# the clustering stage's optimizer is the bean property clusteringOptimizer, flag -clustering-optimizer.
RENAMED = {'optimizer': ('ClusteringOptimizer', 'clustering-optimizer')}

def jstr(s):
    return s.replace('\\', '\\\\').replace('"', '\\"')

for cls, method, cite, info, opts in SPECS:
    c = CITE[cite]
    fields = '\n'.join(f'    result.setValue(Field.{k}, "{jstr(v)}");' for k, v in c.items() if k != 'type')
    defs = '\n'.join(f'    defineMethodOption("{n}", {BOX[t]}.class);' for n, t, v, _ in opts)
    props = []
    for order, (n, t, v, desc) in enumerate(opts):
        cap, cli = RENAMED.get(n, (BEAN.get(n, n[0].upper() + n[1:]), n))
        get = 'get' + cap
        flag = ', commandLineParamIsFlag = true' if t == B else ''
        if t == T:
            tags = 'TAGS_' + cli.upper().replace('-', '_')
            enum_class, values = ENUMS[n]
            props.append(f'''  /** The values of {{@code {n}}}: the core's {{@code {enum_class.rsplit('.', 1)[1]}}}. */
  public static final Tag[] {tags} = tags({enum_class}.values());

  @OptionMetadata(displayName = "{cap[0].lower() + cap[1:]}", description = "{jstr(desc)} Default: {v}.",
      commandLineParamName = "{cli}", commandLineParamSynopsis = "-{cli} <{'|'.join(values)}>", displayOrder = {50 + order})
  public SelectedTag {get}() {{ return tagOption("{n}", {tags}); }}

  public void set{cap}(SelectedTag value) {{ setTagOption("{n}", value); }}
''')
            continue
        syn = f'-{cli}' if t == B else f'-{cli} <{t}>'
        acc = {I: 'intOption', D: 'doubleOption', B: 'booleanOption'}[t]
        props.append(f'''  @OptionMetadata(displayName = "{n}", description = "{jstr(desc)} Default: {v}.",
      commandLineParamName = "{cli}", commandLineParamSynopsis = "{syn}"{flag}, displayOrder = {50 + order})
  public {t} {get}() {{ return {acc}("{n}"); }}

  public void set{cap}({t} value) {{ setMethodOption("{n}", value); }}
''')
    tag_imports = 'import weka.core.SelectedTag;\nimport weka.core.Tag;\n' if any(t == T for _, t, _, _ in opts) else ''
    src = f'''package weka.clusterers;

import weka.clusterers.deepclustering.AbstractDeepClusterer;
import weka.core.OptionMetadata;
{tag_imports}import weka.core.TechnicalInformation;
import weka.core.TechnicalInformation.Field;
import weka.core.TechnicalInformation.Type;

/**
 * {info.replace("&", "&amp;")}
 *
 * <p>Thin wrapper of the core method {{@code {method}}}: the options below are the fields of its {{@code Config}}
 * (defaults read from the core's {{@code Config.defaults(k)}}); the shared options are in
 * {{@link AbstractDeepClusterer}}. Generated by {{@code weka-package/tools/gen_wrappers.py}}.
 */
public class {cls} extends AbstractDeepClusterer {{
  private static final long serialVersionUID = 1L;

  public {cls}() {{
{defs}
  }}

  @Override
  protected String methodName() {{ return "{method}"; }}

  @Override
  public String globalInfo() {{
    return "{jstr(info)}\\n\\nFor more information see:\\n\\n" + getTechnicalInformation().toString();
  }}

  @Override
  public TechnicalInformation getTechnicalInformation() {{
    TechnicalInformation result = new TechnicalInformation(Type.{c['type']});
{fields}
    return result;
  }}

{chr(10).join(props)}
  public static void main(String[] args) {{
    runClusterer(new {cls}(), args);
  }}
}}
'''
    with open(os.path.join(OUT, cls + '.java'), 'w') as f:
        f.write(src)
print('generated', len(SPECS), 'wrappers')
