import java.nio.ByteBuffer;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;

/**
 * The ceiling of Lifeline's HTTP stack, for bench/proxy.sh: the same Jetty server and client that
 * Lifeline uses, forwarding every POST to one agent and relaying the answer, fully asynchronously,
 * with nothing else: no authentication, policy, payload check, activity row, event or metric.
 *   java -cp server/target/lifeline.jar bench/BareProxy.java <port> <agent url>
 */
public class BareProxy {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String agent = args[1];
        HttpClient client = new HttpClient();
        client.setMaxConnectionsPerDestination(1024);
        client.start();
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract(Invocable.InvocationType.NON_BLOCKING) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Source.asByteArrayAsync(request, 1 << 20).whenComplete((bytes, failure) -> {
                    if (failure != null) {
                        Response.writeError(request, response, callback, 400);
                        return;
                    }
                    client.POST(agent)
                            .body(new BytesRequestContent("application/json", bytes))
                            .send(new BufferingResponseListener(10 << 20) {
                                @Override
                                public void onComplete(Result result) {
                                    if (result.isFailed()) {
                                        Response.writeError(request, response, callback, 502);
                                        return;
                                    }
                                    response.setStatus(result.getResponse().getStatus());
                                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                                    response.write(true, ByteBuffer.wrap(getContent()), callback);
                                }
                            });
                });
                return true;
            }
        });
        server.start();
        System.out.println("bare proxy on 127.0.0.1:" + port + " -> " + agent);
        server.join();
    }
}
