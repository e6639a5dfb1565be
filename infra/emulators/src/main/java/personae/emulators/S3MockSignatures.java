package personae.emulators;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Added to S3Mock's Spring context through {@code spring.main.sources}: a servlet filter, first in the chain, that
 * answers 403 ({@code AccessDenied}, S3's XML error) to every request without a valid SigV4 signature by the
 * emulator's credentials ({@link SigV4}: an Authorization header or a presigned URL, recomputed with the secret).
 * S3Mock itself accepts anything, so without this any process on the machine could read every stored object.
 */
public class S3MockSignatures {

    /** Spring properties carrying the credentials (set by {@link Emulators}). */
    static final String ACCESS_KEY_PROPERTY = "personae.s3.access-key-id";
    static final String SECRET_KEY_PROPERTY = "personae.s3.secret-key";

    @Bean
    static Filter personaeSignatureFilter(Environment env) {
        SigV4.Credentials credentials = new SigV4.Credentials(env.getRequiredProperty(ACCESS_KEY_PROPERTY),
                env.getRequiredProperty(SECRET_KEY_PROPERTY));
        return new SignatureFilter(credentials, Clock.systemUTC());
    }

    static final class SignatureFilter implements Filter, Ordered {
        private final SigV4.Credentials credentials;
        private final Clock clock;

        SignatureFilter(SigV4.Credentials credentials, Clock clock) {
            this.credentials = credentials;
            this.clock = clock;
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
                throws IOException, ServletException {
            HttpServletRequest http = (HttpServletRequest) req;
            SigV4.Request r = new SigV4.Request(http.getMethod(), http.getRequestURI(), http.getQueryString(),
                    name -> {
                        var values = http.getHeaders(name);
                        return values == null ? List.of() : Collections.list(values);
                    });
            Optional<String> problem = SigV4.verify(r, credentials, clock.instant());
            if (problem.isEmpty()) {
                chain.doFilter(req, res);
                return;
            }
            HttpServletResponse out = (HttpServletResponse) res;
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>"
                    + problem.get().replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>")
                    .getBytes(StandardCharsets.UTF_8);
            out.setStatus(403);
            out.setContentType("application/xml");
            out.setContentLength(body.length);
            if (!"HEAD".equals(http.getMethod())) out.getOutputStream().write(body);
        }
    }
}
