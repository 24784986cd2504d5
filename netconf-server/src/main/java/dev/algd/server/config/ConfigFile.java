package dev.algd.server.config;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import javax.xml.transform.dom.DOMSource;
import org.opendaylight.yangtools.yang.common.QName;
import org.opendaylight.yangtools.yang.common.XMLNamespace;
import org.opendaylight.yangtools.yang.data.api.YangInstanceIdentifier.NodeIdentifier;
import org.opendaylight.yangtools.yang.data.api.schema.ContainerNode;
import org.opendaylight.yangtools.yang.data.api.schema.DataContainerChild;
import org.opendaylight.yangtools.yang.data.api.schema.stream.NormalizedNodeWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XMLStreamNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.codec.xml.XmlParserStream;
import org.opendaylight.yangtools.yang.data.impl.schema.ImmutableNormalizedNodeStreamWriter;
import org.opendaylight.yangtools.yang.data.impl.schema.NormalizationResultHolder;
import org.opendaylight.yangtools.yang.data.spi.node.ImmutableNodes;
import org.opendaylight.yangtools.yang.model.api.EffectiveModelContext;
import org.opendaylight.yangtools.yang.model.api.SchemaContext;
import org.opendaylight.yangtools.yang.model.util.SchemaInferenceStack;
import org.w3c.dom.Element;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Node;

/**
 * A configuration file: a NETCONF {@code <config>} element whose children are the top-level data nodes. algd
 * keeps two: startup ({@code --config}) and the running state every successful commit rewrites. Both are
 * replaced the same way (temporary file, fsync, rename), so a crash leaves either the old or the new
 * configuration, never a mix ({@link #save}).
 */
public final class ConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigFile.class);
    private static final String NETCONF_BASE = "urn:ietf:params:xml:ns:netconf:base:1.0";

    private final Path path;
    private final EffectiveModelContext modelContext;
    /** Made once: a factory per save (a service look-up) cost more than the rest of the serialisation. */
    private final XMLOutputFactory outputFactory = XMLOutputFactory.newFactory();
    /** Serialises, writes, syncs and renames, one save after another ({@link Save}); a daemon thread. */
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "algd-config-writer");
        thread.setDaemon(true);
        return thread;
    });
    /** The text of each top-level node of the last save, by identity ({@link #toXml}); the writer thread's. */
    private Map<DataContainerChild, String> serialised = new IdentityHashMap<>();
    private int serialisedLength;
    /** Directory syncs run here, off the commit's reply path; at most one is queued. */
    private final ExecutorService directorySyncs = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "algd-dir-sync");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean directorySyncQueued = new AtomicBoolean();
    /** A second link to the file's content before the last rename ({@link #keepPrevious}), never read. */
    private final Path previous;
    private final AtomicBoolean previousKept = new AtomicBoolean();

    public ConfigFile(Path path, EffectiveModelContext modelContext) {
        this.path = path;
        this.modelContext = modelContext;
        this.previous = path.resolveSibling("." + path.getFileName() + ".previous");
        outputFactory.setProperty(XMLOutputFactory.IS_REPAIRING_NAMESPACES, true);
    }

    public Path path() {
        return path;
    }

    /** Reads the file into one root container; throws with the file name and the reason when it is unusable. */
    public ContainerNode load() throws IOException {
        Element config;
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setExpandEntityReferences(false);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            config = factory.newDocumentBuilder().parse(path.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IOException(path + " is not well-formed XML: " + e.getMessage(), e);
        }
        if (!"config".equals(config.getLocalName()) || !NETCONF_BASE.equals(config.getNamespaceURI())) {
            throw new IOException(path + ": the document element must be <config xmlns=\"" + NETCONF_BASE + "\">");
        }
        var root = ImmutableNodes.newContainerBuilder().withNodeIdentifier(new NodeIdentifier(SchemaContext.NAME));
        for (Node node = config.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element) {
                root.withChild(parseTopLevel(element));
            }
        }
        return root.build();
    }

    private DataContainerChild parseTopLevel(Element element) throws IOException {
        String where = path + ": <" + element.getLocalName() + " xmlns=\"" + element.getNamespaceURI() + "\">";
        var modules = modelContext.findModules(XMLNamespace.of(element.getNamespaceURI()));
        if (modules.isEmpty()) {
            throw new IOException(where + " belongs to no algd YANG module");
        }
        var stack = SchemaInferenceStack.of(modelContext);
        try {
            stack.enterSchemaTree(QName.create(modules.iterator().next().getQNameModule(), element.getLocalName()));
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " is not a top-level node of its module");
        }
        var holder = new NormalizationResultHolder();
        try (var parser = XmlParserStream.create(ImmutableNormalizedNodeStreamWriter.from(holder),
                stack.toSchemaTreeInference())) {
            parser.traverse(new DOMSource(element));
        } catch (XMLStreamException | IOException | RuntimeException e) {
            throw new IOException(where + " does not match the YANG model: " + e.getMessage(), e);
        }
        return (DataContainerChild) holder.getResult().data();
    }

    /**
     * Replaces the file with {@code root}: write a sibling temp file, fsync it, rename it over the file; then fsync
     * the directory, in the background. When this returns, the new file is what any later reader (a restarted
     * daemon after kill -9 included) sees, and a host crash or power loss leaves either the old or the new file
     * whole; only the directory sync, which makes the rename itself survive power loss, may still be pending (a
     * few milliseconds; on the benchmark host it was 1.5 of the 5 ms of file-system work of a commit).
     */
    public void save(ContainerNode root) throws IOException {
        Save save = startSave(root);
        save.replace();
        save.awaitReplaced();
    }

    /**
     * Starts writing {@code root} to a temporary file beside this one and syncing it, on this file's writer
     * thread, so that a commit can do its other work meanwhile. Nothing a reader of the file sees changes until
     * {@link Save#replace}; a save that is not wanted after all must be {@link Save#abandon}ed.
     */
    public Save startSave(ContainerNode root) {
        return new Save(writer.submit(() -> writeTemporary(root)));
    }

    /**
     * A save under way ({@link #startSave}). Its steps run in order on the file's one writer thread, and the next
     * save's steps after them, so two saves never interleave.
     */
    public final class Save {
        private final Future<Written> written;
        private Future<Saved> replaced;

        private Save(Future<Written> written) {
            this.written = written;
        }

        /** Queues the rename of the temporary file over the file, to run as soon as the file is written and synced. */
        public void replace() {
            replaced = writer.submit(() -> {
                Written file = written.get();   // done: it ran before this, on the same thread
                long started = System.nanoTime();
                boolean isKept = keepPrevious();
                try {
                    Files.move(file.temp(), path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    Files.deleteIfExists(file.temp());
                    throw e instanceof AtomicMoveNotSupportedException
                            ? new IOException("cannot replace " + path + " atomically: " + e.getMessage(), e) : e;
                }
                queueDirectorySync(isKept);
                return new Saved(file.serialiseNanos(), file.writeNanos(), System.nanoTime() - started);
            });
        }

        /** Queues the removal of the temporary file: the configuration it holds was refused. */
        public void abandon() {
            writer.execute(() -> {
                try {
                    Files.deleteIfExists(written.get().temp());
                } catch (ExecutionException e) {
                    // The write failed and removed its own temporary file.
                } catch (InterruptedException | IOException e) {
                    LOG.warn("cannot remove the temporary file of a refused configuration: {}", e.toString());
                }
            });
        }

        /**
         * Waits until {@link #replace} has renamed the file: from then on every reader sees the new configuration.
         * Not interruptible (the interrupt is kept for later), since the caller must not answer before that.
         *
         * @throws IOException naming the file and the reason when serialising, writing, syncing or renaming failed
         */
        public Saved awaitReplaced() throws IOException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        return replaced.get();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        // A failed write fails the rename with the write's ExecutionException.
                        if (cause instanceof ExecutionException writeFailure) {
                            cause = writeFailure.getCause();
                        }
                        if (cause instanceof IOException io) {
                            throw io;
                        }
                        throw new IOException("cannot save " + path + ": " + cause, cause);
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** How long each step of a save took on the writer thread. */
    public record Saved(long serialiseNanos, long writeNanos, long renameNanos) {
    }

    /** A temporary file written and synced, not yet renamed. */
    private record Written(Path temp, long serialiseNanos, long writeNanos) {
    }

    private Written writeTemporary(ContainerNode root) throws IOException {
        long started = System.nanoTime();
        byte[] xml = toXml(root).getBytes(StandardCharsets.UTF_8);
        long serialised = System.nanoTime();
        Path temp = Files.createTempFile(path.toAbsolutePath().getParent(), "." + path.getFileName(), ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(xml));
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return new Written(temp, serialised - started, System.nanoTime() - serialised);
    }

    /**
     * Links the current file under {@link #previous} so that the rename does not free its blocks: on ext4 a rename
     * over the last link of a just-synced file waited for the journal (0.2 ms idle, 0.7-2 ms under load on the
     * benchmark host), over a file still linked elsewhere it took 0.02 ms. The link is removed after the directory
     * sync, off the commit's path. Only a shortcut: when the link exists already (not yet removed, or left by a
     * crash) or cannot be made, the rename frees the blocks itself.
     *
     * @return whether the link is there to be removed, made now or left by an earlier save
     */
    private boolean keepPrevious() {
        try {
            Files.createLink(previous, path);
            return true;
        } catch (FileAlreadyExistsException e) {
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private void queueDirectorySync(boolean isPreviousKept) {
        if (isPreviousKept) {
            previousKept.set(true);
        }
        if (directorySyncQueued.compareAndSet(false, true)) {
            directorySyncs.execute(() -> syncDirectory(path.toAbsolutePath().getParent()));
        }
    }

    private void syncDirectory(Path dir) {
        directorySyncQueued.set(false);  // a rename after this point queues its own sync
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.error("cannot sync directory {} after replacing {}: {}", dir, path.getFileName(), e.getMessage());
        }
        if (previousKept.getAndSet(false)) {
            try {
                // Should a newer save have linked it again meanwhile, that save's rename is merely slower.
                Files.deleteIfExists(previous);
            } catch (IOException e) {
                LOG.warn("cannot remove {}: {}", previous, e.getMessage());
            }
        }
    }

    /**
     * The file's text for {@code root}. Each top-level node is serialised on its own and kept: the datastore shares
     * the nodes a commit did not touch with the tree before it, so a one-leaf change serialises one subtree (the
     * schema-aware writer builds a codec, regular expressions included, for every value it writes). Called on
     * the writer thread only, which owns {@link #serialised}.
     */
    String toXml(ContainerNode root) throws IOException {
        StringBuilder out = new StringBuilder(serialisedLength + 128);
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config xmlns=\"").append(NETCONF_BASE).append("\">");
        Map<DataContainerChild, String> next = new IdentityHashMap<>();
        for (DataContainerChild child : root.body()) {
            String text = serialised.get(child);
            if (text == null) {
                text = toXml(child);
            }
            next.put(child, text);
            out.append(text);
        }
        serialised = next;
        out.append("</config>\n");
        serialisedLength = out.length();
        return out.toString();
    }

    private String toXml(DataContainerChild child) throws IOException {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = outputFactory.createXMLStreamWriter(out);
            var writer = NormalizedNodeWriter.forStreamWriter(XMLStreamNormalizedNodeStreamWriter.create(xml, modelContext));
            writer.write(child);
            writer.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot serialise the configuration: " + e.getMessage(), e);
        }
        return out.toString();
    }
}
