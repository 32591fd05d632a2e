package io.rotnet.devstack;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link EmbeddedStack} per test class, on a temporary directory, injected into any
 * constructor, lifecycle or test method parameter of type {@code EmbeddedStack}; closed and
 * deleted after the class.
 *
 * <pre>{@code
 * @ExtendWith(EmbeddedStackExtension.class)
 * class ProducerIT {
 *   @Test void sends(EmbeddedStack stack) { ... stack.bootstrapServers() ... }
 * }
 * }</pre>
 */
public final class EmbeddedStackExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(EmbeddedStackExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    stackOf(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EmbeddedStack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return stackOf(context);
  }

  private static EmbeddedStack stackOf(ExtensionContext context) {
    ExtensionContext classContext = context;
    while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
      classContext = classContext.getParent().get();
    }
    // The store closes AutoCloseable values when the class context ends.
    return classContext
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            "stack", key -> EmbeddedStack.startTemporary(), EmbeddedStack.class);
  }
}
