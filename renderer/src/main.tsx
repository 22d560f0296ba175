import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getQuarryApi } from './api/client';
import { ClientContext } from './api/client-context';
import { App } from './components/App';
import { initI18n } from './i18n';
import { createAppStores } from './stores/app-stores';
import { StoresContext } from './stores/use-stores';
import './styles.css';

initI18n();
const client = getQuarryApi();
const stores = createAppStores(client, { openPath: client.openPath });
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <ClientContext.Provider value={client}>
      <StoresContext.Provider value={stores}>
        <App />
      </StoresContext.Provider>
    </ClientContext.Provider>
  </StrictMode>,
);
