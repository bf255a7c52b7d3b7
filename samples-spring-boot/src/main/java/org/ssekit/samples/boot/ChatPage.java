package org.ssekit.samples.boot;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Serves the samples demo's page itself, from the samples jar's class path ({@value #PAGE}): {@code
 * /} is its {@code index.html}, with its script, stylesheet and icon.
 *
 * <p><b>Thread safety:</b> stateless and thread-safe.
 */
@Controller
class ChatPage implements WebMvcConfigurer {
  /** Where the samples module keeps its page. */
  static final String PAGE = "org/ssekit/samples/web/";

  private final Resource index = new ClassPathResource(PAGE + "index.html");

  @GetMapping("/")
  ResponseEntity<Resource> index() {
    return ResponseEntity.ok()
        .contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
        .cacheControl(CacheControl.noCache())
        .body(index);
  }

  @Override
  public void addResourceHandlers(ResourceHandlerRegistry registry) {
    registry
        .addResourceHandler("/app.js", "/app.css", "/favicon.svg")
        .addResourceLocations("classpath:/" + PAGE)
        .setCacheControl(CacheControl.noCache());
  }
}
