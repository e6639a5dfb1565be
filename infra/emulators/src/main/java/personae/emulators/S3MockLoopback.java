package personae.emulators;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;

/**
 * Added to S3Mock's Spring context through {@code spring.main.sources}: S3Mock's extra plain-HTTP Tomcat connector
 * binds every interface by default; this binds every Tomcat connector to the loopback address instead.
 */
public class S3MockLoopback {
    @Bean
    static BeanPostProcessor personaeLoopbackConnectors() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String name) {
                if (bean instanceof org.apache.catalina.connector.Connector c) {
                    c.setProperty("address", Emulators.LOOPBACK);
                }
                return bean;
            }
        };
    }
}
