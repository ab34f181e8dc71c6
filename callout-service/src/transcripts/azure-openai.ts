/**
 * A chat-completions call in the Azure OpenAI wire format (dated API versions):
 * `POST {endpoint}/openai/deployments/{deployment}/chat/completions?api-version=...` with an `api-key` header,
 * answer `{ choices: [{ message: { content } }] }`. One POST with fetch: the whole surface this needs.
 */

export interface AzureOpenAiOptions {
  /** https://{resource}.openai.azure.com (or any server that speaks the same API). */
  endpoint: string;
  deployment: string;
  apiKey: string;
  apiVersion: string;
  timeoutMs: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export class ChatCompletionError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ChatCompletionError';
  }
}

const MAX_ANSWER_BYTES = 1_000_000;

export class AzureOpenAiChat {
  constructor(private readonly options: AzureOpenAiOptions) {}

  get url(): string {
    const base = this.options.endpoint.replace(/\/+$/, '');
    return `${base}/openai/deployments/${encodeURIComponent(this.options.deployment)}/chat/completions?api-version=${encodeURIComponent(this.options.apiVersion)}`;
  }

  /** The first choice's content; throws ChatCompletionError for anything but a 200 with content. */
  async complete(messages: ChatMessage[]): Promise<string> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': this.options.apiKey },
        body: JSON.stringify({ messages, temperature: 0, response_format: { type: 'json_object' } }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (err) {
      throw new ChatCompletionError(`chat completions call failed: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (text.length > MAX_ANSWER_BYTES)
      throw new ChatCompletionError('chat completions answer too large', res.status);
    if (!res.ok) {
      let detail = text.slice(0, 200);
      try {
        detail = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? detail;
      } catch {
        // not JSON: keep the start of the text
      }
      throw new ChatCompletionError(`chat completions answered ${res.status}: ${detail}`, res.status);
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ChatCompletionError('chat completions answered something that is not JSON', res.status);
    }
    const content = (body as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]?.message
      ?.content;
    if (typeof content !== 'string') {
      throw new ChatCompletionError('chat completions answer has no choices[0].message.content', res.status);
    }
    return content;
  }
}
