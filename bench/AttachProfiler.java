import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with one option string, as async-profiler's own launcher
 * does ({@code jcmd <pid> JVMTI.agent_load} did not hand a comma-separated string over whole).
 *
 * <p>{@code java bench/AttachProfiler.java <pid> <libasyncProfiler.so> <options>}
 */
public final class AttachProfiler {
    private AttachProfiler() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: AttachProfiler <pid> <agent library> <options>");
        }
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
