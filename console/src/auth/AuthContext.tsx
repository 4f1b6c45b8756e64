import { createContext, useContext, useEffect, useState } from "react";
import type { ConsoleConfig } from "../config";
import { currentSession, onSessionChange, type Session } from "./session";

const ConfigContext = createContext<ConsoleConfig>({ sign_in: "local" });

export const ConfigProvider = ConfigContext.Provider;

export function useConsoleConfig(): ConsoleConfig {
  return useContext(ConfigContext);
}

/** The signed-in user (null when nobody is), re-rendering on sign-in and sign-out. */
export function useSession(): Session | null {
  const [session, setState] = useState<Session | null>(currentSession());
  useEffect(() => onSessionChange(setState), []);
  return session;
}
