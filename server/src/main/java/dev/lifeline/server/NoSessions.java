package dev.lifeline.server;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.jspecify.annotations.Nullable;

/**
 * Lifeline keeps no HTTP sessions: every request that reaches Javalin asks this filter, not Jetty's
 * session manager, for its session, so no request can leave one behind or be sent a session cookie.
 * A request that asks (Javalin's WebSocket upgrade does, to copy the session's attributes) gets an
 * empty session that nothing stores.
 */
final class NoSessions implements Filter {

    private NoSessions() {}

    static void install(ServletContextHandler context) {
        context.addFilter(new FilterHolder(new NoSessions()), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        chain.doFilter(request instanceof HttpServletRequest http ? new Sessionless(http) : request, response);
    }

    private static final class Sessionless extends HttpServletRequestWrapper {
        Sessionless(HttpServletRequest request) {
            super(request);
        }

        @Override
        public @Nullable HttpSession getSession(boolean create) {
            return create ? new EmptySession(getServletContext()) : null;
        }

        @Override
        public HttpSession getSession() {
            return new EmptySession(getServletContext());
        }
    }

    /** A session with no attributes that accepts none: nothing is kept between requests. */
    private record EmptySession(ServletContext context) implements HttpSession {
        @Override
        public long getCreationTime() {
            return 0;
        }

        @Override
        public String getId() {
            return "";
        }

        @Override
        public long getLastAccessedTime() {
            return 0;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public void setMaxInactiveInterval(int interval) {}

        @Override
        public int getMaxInactiveInterval() {
            return 0;
        }

        @Override
        public @Nullable Object getAttribute(String name) {
            return null;
        }

        @Override
        public Enumeration<String> getAttributeNames() {
            return Collections.emptyEnumeration();
        }

        @Override
        public void setAttribute(String name, Object value) {
            throw new UnsupportedOperationException("Lifeline keeps no HTTP sessions");
        }

        @Override
        public void removeAttribute(String name) {}

        @Override
        public void invalidate() {}

        @Override
        public boolean isNew() {
            return true;
        }
    }
}
