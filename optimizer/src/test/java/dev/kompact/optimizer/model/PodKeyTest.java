package dev.kompact.optimizer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PodKeyTest {

    @Test
    void readsAndWritesNamespaceSlashName() throws Exception {
        PodKey key = PodKey.parse("shop/web-1");

        assertThat(key).isEqualTo(new PodKey("shop", "web-1"));
        assertThat(new ObjectMapper().writeValueAsString(key)).isEqualTo("\"shop/web-1\"");
        assertThat(new ObjectMapper().readValue("\"shop/web-1\"", PodKey.class)).isEqualTo(key);
    }

    @Test
    void refusesTextThatIsNotNamespaceSlashName() {
        for (String bad : new String[] {"web-1", "/web-1", "shop/", "a/b/c"}) {
            assertThatThrownBy(() -> PodKey.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("pod \"" + bad + "\" is not written namespace/name");
        }
    }

    @Test
    void sortsAsTheWrittenKeys() {
        // "a-b/x" < "a/x" as text ('-' before '/'), though "a" < "a-b" as a namespace
        assertThat(PodKey.parse("a-b/x")).isLessThan(PodKey.parse("a/x"));
    }
}
