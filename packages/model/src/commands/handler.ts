/**
 * What a model handler is: a plain function of a command's validated arguments and the model's
 * state, answering the command's result or throwing a {@link Refusal}. The table is typed by every
 * command name, as the server's is: a command without a model handler does not compile.
 */
import type { ArgsOf, CommandName, ResultOf } from '@scoreboard/protocol';
import type { ModelState } from '../state.js';

/** Answers command `C` the plain way. */
export type ModelHandler<C extends CommandName> = (args: ArgsOf<C>, m: ModelState) => ResultOf<C>;

/** One handler per command. */
export type ModelTable = { readonly [C in CommandName]: ModelHandler<C> };
